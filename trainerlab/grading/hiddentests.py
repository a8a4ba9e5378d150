"""Put the hidden tests back into untouched test cells before nbgrader checks them for edits.

``nbgrader generate_assignment`` records a locked cell's checksum in the gradebook *before* it
removes the hidden tests, and the release carries the checksum of the cell *without* them. So
``OverwriteCells`` finds every test cell with hidden tests "changed" in every submission, blank or
not, and warns ``Attribute 'checksum' for cell … has changed!`` (jupyter/nbgrader#1961). This
preprocessor runs just before ``OverwriteCells`` (``Autograde.sanitize_preprocessors`` in
``nbgrader_config.py``): a locked cell whose source is exactly the student version of the source
cell gets the source cell's full text back. A cell the learner really edited is left alone, so
``OverwriteCells`` still warns about it and restores it.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor


class RestoreHiddenTests(NbGraderPreprocessor):
    """Give untouched locked cells their hidden tests back (so only real edits are reported)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Compare each locked cell with the student version of its source cell in the gradebook."""
        info = resources["nbgrader"]
        self._clear = ClearHiddenTests(parent=self)
        self._notebook, self._assignment = info["notebook"], info["assignment"]
        with Gradebook(info["db_url"]) as self._gradebook:
            return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        """Restore ``cell``'s source when it equals what the release gave the learner."""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            return cell, resources
        try:
            source = self._gradebook.find_source_cell(grade_id, self._notebook, self._assignment)
        except MissingEntry:
            return cell, resources
        untouched = cell.source != source.source and cell.source == self._released(cell, source.source)
        if source.locked and untouched:
            cell.source = source.source
        return cell, resources

    def _released(self, cell: NotebookNode, full_source: str) -> str:
        """The text the student version shows of a cell whose full source is ``full_source``."""
        released = NotebookNode(cell_type=cell.cell_type, source=full_source,
                                metadata=NotebookNode(nbgrader=NotebookNode(grade=True)))
        released, _ = self._clear.preprocess_cell(released, ResourcesDict(), 0)
        return released.source
