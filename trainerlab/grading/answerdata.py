"""The data-only format in which a graded answer crosses from the learner's kernel to the grader.

The kernel writes the arguments of ``q.<task>.grade(...)`` with :func:`dumps`; the grader reads
them with :func:`loads`, which never unpickles anything and never calls a function or a class
named by the data. An answer is a ZIP archive of stored (uncompressed) members: ``manifest.json``,
a tree of tagged nodes, and one member per array, table or model it refers to. What may cross,
each by its exact type (subclasses are refused, except the dicts of :mod:`collections`, which
cross as ``dict``):

* plain data: ``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``, ``bytes``, ``list``,
  ``tuple``, ``dict``, ``set``, ``frozenset`` (nested up to :data:`MAX_DEPTH` levels), ``pathlib``
  paths, ``datetime`` dates, times, datetimes and timedeltas, ``decimal.Decimal``;
* NumPy arrays and scalars as ``.npy`` read with ``allow_pickle=False`` after the header's shape
  and dtype are checked against the member's size; object arrays cross item by item as plain data;
* pandas ``DataFrame``, ``Series`` and ``Index`` as an Arrow IPC stream, refused unless every
  column has a plain Arrow type (numbers, bools, strings, dates, times, durations, decimals,
  dictionaries, lists and structs of these: no extension types) and no message is compressed
  (a compressed body could unpack into far more memory than the answer's size); object columns
  cross item by item as plain data; pandas scalars ``Timestamp``, ``Timedelta``, ``NaT``, ``NA``;
* fitted scikit-learn / imbalanced-learn objects as a ``skops`` file, loaded only when every type
  it names is trusted by skops or listed in :data:`graders.trusted.TRUSTED_TYPES`;
* functions defined in the notebook, as a key: the grader gets a proxy that calls them back in
  the learner's kernel (the sandbox), never their code.

Anything else (figures, open files, other callables, the learner's own classes) is refused with a
bilingual reason, :class:`RefusedAnswer`, on either side; the grader then flags the cell for a
human instead of scoring it.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import decimal
import io
import json
import math
import pathlib
import types
import zipfile
import zoneinfo
from collections.abc import Callable
from typing import Any

import numpy as np

MANIFEST = "manifest.json"
MAX_DEPTH = 60
MAX_BYTES = 256 * 1024 * 1024
#: The manifest is parsed into Python objects (many times its size in memory): kept far smaller.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024

_PATHS = {cls.__name__: cls for cls in (pathlib.PurePosixPath, pathlib.PureWindowsPath,
                                        pathlib.PosixPath, pathlib.WindowsPath)}
_SEQUENCES = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}
_PLAIN_DICTS = (dict, collections.OrderedDict, collections.defaultdict, collections.Counter)


class RefusedAnswer(ValueError):
    """The answer cannot cross as data; the cell is flagged for a human (bilingual reason)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def _refuse_type(value: Any) -> RefusedAnswer:
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    return RefusedAnswer(f"答案中含有不能作为数据复核的对象（{name}），留待人工复核",
                         f"the answer holds an object that cannot be re-checked as data ({name}); "
                         "left for a human to review")


# --- writing (in the learner's kernel) ----------------------------------------------------------

class _Writer:
    def __init__(self, functions: dict[str, Any] | None) -> None:
        self.members: dict[str, bytes] = {}
        self.functions = functions

    def member(self, suffix: str, data: bytes) -> str:
        name = f"{len(self.members)}{suffix}"
        self.members[name] = data
        return name

    def node(self, value: Any, depth: int = 0) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise RefusedAnswer("答案嵌套过深", "the answer is nested too deeply")
        kind = type(value)
        if value is None:
            return {"t": "none"}
        if kind is bool:
            return {"t": "bool", "v": value}
        if kind is int:
            return {"t": "int", "v": str(value)}
        if kind is float:
            return {"t": "float", "v": repr(value)}
        if kind is complex:
            return {"t": "complex", "v": [repr(value.real), repr(value.imag)]}
        if kind is str:
            return {"t": "str", "v": value}
        if kind in (bytes, bytearray):
            return {"t": "bytes", "v": base64.b64encode(value).decode("ascii")}
        if kind.__name__ in _SEQUENCES and kind is _SEQUENCES[kind.__name__]:
            return {"t": kind.__name__, "v": [self.node(v, depth + 1) for v in value]}
        if kind in _PLAIN_DICTS:
            return {"t": "dict", "v": [[self.node(k, depth + 1), self.node(v, depth + 1)]
                                       for k, v in value.items()]}
        if kind in _PATHS.values():
            return {"t": "path", "cls": kind.__name__, "v": str(value)}
        if kind is decimal.Decimal:
            return {"t": "decimal", "v": str(value)}
        if kind in (dt.datetime, dt.time):
            tz = value.tzinfo
            key = tz.key if isinstance(tz, zoneinfo.ZoneInfo) else None
            return {"t": kind.__name__, "v": value.isoformat(), "tz": key}
        if kind is dt.date:
            return {"t": "date", "v": value.isoformat()}
        if kind is dt.timedelta:
            return {"t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
        if isinstance(value, types.FunctionType | types.MethodType):
            return self.function(value)
        module = kind.__module__.split(".")[0]
        if module == "numpy":
            return self.numpy(value, depth)
        if module == "pandas":
            return self.pandas(value, depth)
        if module in ("sklearn", "imblearn"):
            import skops.io as sio

            try:
                data = sio.dumps(value)
            except Exception as exc:  # skops cannot write every object (e.g. scipy distributions)
                raise RefusedAnswer(f"模型无法用 skops 保存（{type(exc).__name__}），留待人工复核",
                                    f"the model cannot be saved with skops ({type(exc).__name__}); "
                                    "left for a human to review") from None
            return {"t": "skops", "m": self.member(".skops", data)}
        raise _refuse_type(value)

    def function(self, value: Any) -> dict[str, Any]:
        func = value.__func__ if isinstance(value, types.MethodType) else value
        if self.functions is None or getattr(func, "__module__", None) != "__main__":
            raise _refuse_type(value)
        key = str(len(self.functions))
        self.functions[key] = value
        return {"t": "function", "key": key}

    def numpy(self, value: Any, depth: int) -> dict[str, Any]:
        if type(value) is np.ndarray and value.dtype.hasobject:
            if value.dtype != object:
                raise _refuse_type(value)
            return {"t": "objarray", "shape": list(value.shape),
                    "v": [self.node(v, depth + 1) for v in value.ravel(order="C").tolist()]}
        if type(value) is np.ndarray or (isinstance(value, np.generic) and not value.dtype.hasobject):
            buffer = io.BytesIO()
            np.save(buffer, np.asarray(value), allow_pickle=False)
            return {"t": "ndarray" if type(value) is np.ndarray else "npscalar",
                    "m": self.member(".npy", buffer.getvalue())}
        raise _refuse_type(value)

    def pandas(self, value: Any, depth: int) -> dict[str, Any]:
        import pandas as pd

        if value is pd.NA:
            return {"t": "pd.NA"}
        if value is pd.NaT:
            return {"t": "pd.NaT"}
        kind = type(value)
        if kind is pd.Timestamp:
            return {"t": "pd.Timestamp", "v": value.isoformat(), "unit": value.unit,
                    "tz": None if value.tz is None else str(value.tz)}
        if kind is pd.Timedelta:
            return {"t": "pd.Timedelta", "v": value.isoformat(), "unit": value.unit}
        if kind is pd.DataFrame:
            return self.table("frame", value, None, depth)
        if kind is pd.Series:
            return self.table("series", value.to_frame("values"), value.name, depth)
        if isinstance(value, pd.Index):
            return self.table("index", pd.DataFrame(index=value), value.name, depth)
        raise _refuse_type(value)

    def table(self, tag: str, frame: Any, name: Any, depth: int) -> dict[str, Any]:
        import pandas as pd
        import pyarrow as pa

        node: dict[str, Any] = {"t": tag, "name": self.node(name, depth + 1)}
        items: dict[str, Any] = {}
        for i in range(frame.shape[1]):  # object columns cross item by item, exactly
            if pd.api.types.is_object_dtype(frame.dtypes.iloc[i]):
                if not items:
                    frame = frame.copy(deep=False)
                items[str(i)] = [self.node(v, depth + 1) for v in frame.iloc[:, i].tolist()]
                frame.isetitem(i, np.full(len(frame), None, dtype=object))
        try:
            table = pa.Table.from_pandas(frame, preserve_index=None)
        except (pa.ArrowException, TypeError, ValueError) as exc:
            raise RefusedAnswer(f"表格无法作为数据复核：{exc}",
                                f"the table cannot be re-checked as data: {exc}; left for a human to review"
                                ) from None
        index = frame.index
        columns = frame.columns
        node.update(items=items,
                    index_object=bool(index.nlevels == 1 and pd.api.types.is_object_dtype(index.dtype)),
                    freq=getattr(index, "freqstr", None),
                    column_range=[columns.start, columns.stop, columns.step]
                    if isinstance(columns, pd.RangeIndex) else None)
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        node["m"] = self.member(".arrow", sink.getvalue())
        return node


def dumps(value: Any, functions: dict[str, Any] | None = None) -> bytes:
    """``value`` in the data-only format; notebook functions go into ``functions`` under their key.

    Raises :class:`RefusedAnswer` for a value that cannot cross as data.
    """
    writer = _Writer(functions)
    manifest = writer.node(value)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
        for name, data in writer.members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- reading (in the grader) ----------------------------------------------------------------------

def _bad(en: str, zh: str = "答案文件格式不对") -> RefusedAnswer:
    return RefusedAnswer(f"{zh}，留待人工复核", f"{en}; left for a human to review")


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, remote: Callable[[str], Any] | None) -> None:
        self.archive = archive
        self.remote = remote
        self.used = {MANIFEST}

    def member(self, node: dict[str, Any]) -> bytes:
        """The bytes of the node's member; each is read once (so a member cannot be multiplied)."""
        name = node.get("m")
        if not isinstance(name, str) or name in self.used:
            raise _bad("a member of the answer is missing or used twice")
        self.used.add(name)
        try:
            return self.archive.read(name)
        except KeyError:
            raise _bad("a member of the answer is missing or used twice") from None

    def node(self, node: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _bad("the answer is nested too deeply", "答案嵌套过深")
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise _bad("a node of the answer is malformed")
        tag, v = node["t"], node.get("v")
        if tag == "none":
            return None
        if tag == "bool" and type(v) is bool:
            return v
        if tag == "int" and isinstance(v, str):
            return int(v)
        if tag == "float" and isinstance(v, str):
            return float(v)
        if tag == "complex" and isinstance(v, list) and len(v) == 2:
            return complex(float(v[0]), float(v[1]))
        if tag == "str" and isinstance(v, str):
            return v
        if tag == "bytes" and isinstance(v, str):
            return base64.b64decode(v, validate=True)
        if tag in _SEQUENCES and isinstance(v, list):
            return _SEQUENCES[tag](self.node(x, depth + 1) for x in v)
        if tag == "dict" and isinstance(v, list):
            return {self.node(k, depth + 1): self.node(x, depth + 1) for k, x in v}
        if tag == "path" and node.get("cls") in _PATHS and isinstance(v, str):
            cls = _PATHS[node["cls"]]
            return pathlib.Path(v) if cls in (pathlib.PosixPath, pathlib.WindowsPath) else cls(v)
        if tag == "decimal" and isinstance(v, str):
            return decimal.Decimal(v)
        if tag in ("datetime", "time") and isinstance(v, str):
            value = getattr(dt, tag).fromisoformat(v)
            tz = node.get("tz")
            return value.replace(tzinfo=zoneinfo.ZoneInfo(tz)) if isinstance(tz, str) else value
        if tag == "date" and isinstance(v, str):
            return dt.date.fromisoformat(v)
        if tag == "timedelta" and isinstance(v, list) and all(type(x) is int for x in v):
            return dt.timedelta(*v)
        if tag == "function" and isinstance(node.get("key"), str):
            if self.remote is None:
                raise RefusedAnswer("答案中含有函数，这里无法复核，留待人工复核",
                                    "the answer holds a function, which cannot be re-checked here; "
                                    "left for a human to review")
            return self.remote(node["key"])
        if tag in ("ndarray", "npscalar"):
            array = read_npy(self.member(node))
            return array if tag == "ndarray" else array[()]
        if tag == "objarray":
            return self.object_array(node, depth)
        if tag.startswith("pd."):
            return self.pandas_scalar(tag, node)
        if tag in ("frame", "series", "index"):
            return self.table(tag, node, depth)
        if tag == "skops":
            return read_skops(self.member(node))
        raise _bad(f"the answer holds an unknown kind of node ({tag[:40]})")

    def object_array(self, node: dict[str, Any], depth: int) -> np.ndarray:
        shape, items = node.get("shape"), node.get("v")
        if (not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape)
                or not isinstance(items, list) or math.prod(shape) != len(items)):
            raise _bad("an object array of the answer is malformed")
        array = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            array[i] = self.node(item, depth + 1)
        return array.reshape(shape)

    @staticmethod
    def pandas_scalar(tag: str, node: dict[str, Any]) -> Any:
        import pandas as pd

        if tag == "pd.NA":
            return pd.NA
        if tag == "pd.NaT":
            return pd.NaT
        v, unit = node.get("v"), node.get("unit")
        if not isinstance(v, str) or unit not in ("s", "ms", "us", "ns"):
            raise _bad("a pandas value of the answer is malformed")
        if tag == "pd.Timestamp":
            value = pd.Timestamp(v).as_unit(unit)
            tz = node.get("tz")
            return value.tz_convert(tz) if isinstance(tz, str) and value.tz is not None else value
        if tag == "pd.Timedelta":
            return pd.Timedelta(v).as_unit(unit)
        raise _bad(f"the answer holds an unknown kind of node ({tag[:40]})")

    def table(self, tag: str, node: dict[str, Any], depth: int) -> Any:
        import pandas as pd

        frame = read_arrow(self.member(node))
        items = node.get("items", {})
        if not isinstance(items, dict):
            raise _bad("a table of the answer is malformed")
        for key, values in items.items():
            i = int(key)
            if not (0 <= i < frame.shape[1]) or not isinstance(values, list) or len(values) != len(frame):
                raise _bad("a table of the answer is malformed")
            column = np.empty(len(values), dtype=object)
            for row, item in enumerate(values):
                column[row] = self.node(item, depth + 1)
            frame.isetitem(i, column)
        if node.get("index_object"):
            frame.index = frame.index.astype(object)
        column_range = node.get("column_range")
        if isinstance(column_range, list) and all(type(n) is int for n in column_range):
            frame.columns = pd.RangeIndex(*column_range[:3])
        freq = node.get("freq")
        if isinstance(freq, str) and isinstance(frame.index, pd.DatetimeIndex | pd.TimedeltaIndex):
            frame.index.freq = freq
        name = self.node(node.get("name"), depth + 1)
        if tag == "series":
            if frame.shape[1] != 1:
                raise _bad("a series of the answer is malformed")
            return frame.iloc[:, 0].rename(name)
        if tag == "index":
            return frame.index.rename(name) if frame.index.nlevels == 1 else frame.index
        return frame


def read_npy(data: bytes) -> np.ndarray:
    """A ``.npy`` array, after checking that its header's shape and dtype fit the bytes there are."""
    handle = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(handle)
        header = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if header is None:
            raise ValueError(f"npy version {version}")
        shape, _, dtype = header(handle)
        if dtype.hasobject:
            raise ValueError("an array of Python objects")
        if math.prod(shape) * dtype.itemsize != len(data) - handle.tell():
            raise ValueError("the header does not match the data")
        handle.seek(0)
        return np.load(handle, allow_pickle=False)
    except ValueError as exc:
        raise _bad(f"an array of the answer is not a plain .npy array ({exc})") from None


def _arrow_type_is_plain(kind: Any) -> bool:
    import pyarrow as pa

    t = pa.types
    if isinstance(kind, pa.ExtensionType):
        return False
    if t.is_dictionary(kind):
        return _arrow_type_is_plain(kind.index_type) and _arrow_type_is_plain(kind.value_type)
    if t.is_list(kind) or t.is_large_list(kind) or t.is_fixed_size_list(kind):
        return _arrow_type_is_plain(kind.value_type)
    if t.is_struct(kind):
        return all(_arrow_type_is_plain(kind.field(i).type) for i in range(kind.num_fields))
    return any(check(kind) for check in (
        t.is_null, t.is_boolean, t.is_integer, t.is_floating, t.is_decimal, t.is_string,
        t.is_large_string, t.is_binary, t.is_large_binary, t.is_date, t.is_time, t.is_timestamp,
        t.is_duration))


def _compressed(metadata: bytes) -> bool:
    """Whether an Arrow IPC message's body is compressed (read from its flatbuffer metadata)."""
    from flatbuffers import encode
    from flatbuffers import number_types as n
    from flatbuffers.table import Table

    buf = bytearray(metadata)
    root = Table(buf, encode.Get(n.UOffsetTFlags.packer_type, buf, 0))
    kind_at, header_at = root.Offset(6), root.Offset(8)
    kind = root.Get(n.Uint8Flags, kind_at + root.Pos) if kind_at else 0
    if not header_at:
        return False
    header = Table(buf, 0)
    root.Union(header, header_at)
    if kind not in (2, 3):  # neither a DictionaryBatch nor a RecordBatch: no body to unpack
        return False
    if kind == 2:  # a DictionaryBatch: its record batch is field 1
        data_at = header.Offset(6)
        if not data_at:
            return False
        header = Table(buf, header.Indirect(data_at + header.Pos))
    return bool(header.Offset(10))  # RecordBatch.compression (field 3)


def read_arrow(data: bytes) -> Any:
    """A pandas DataFrame from an Arrow IPC stream of plain, uncompressed columns."""
    import pyarrow as pa

    try:
        for message in pa.ipc.MessageReader.open_stream(pa.BufferReader(data)):
            if message.type not in ("schema", "dictionary", "record batch"):
                raise ValueError(f"a {message.type} message")
            if _compressed(message.metadata.to_pybytes()):
                raise ValueError("a compressed message")
        table = pa.ipc.open_stream(pa.BufferReader(data)).read_all()
        odd = [f.name for f in table.schema if not _arrow_type_is_plain(f.type)]
        if odd:
            raise ValueError(f"columns of types that are not plain data: {odd[:5]}")
        return table.to_pandas()
    except (pa.ArrowException, ValueError, TypeError, KeyError, IndexError) as exc:
        raise _bad(f"a table of the answer is not a plain Arrow table ({str(exc)[:200]})") from None


def read_skops(data: bytes) -> Any:
    """A model from a skops file whose every type skops trusts or ``TRUSTED_TYPES`` lists."""
    import skops.io as sio

    from graders.trusted import foreign_types

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if any(i.compress_type != zipfile.ZIP_STORED for i in archive.infolist()):
                raise ValueError("compressed members")
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # skops raises many kinds on a malformed file
        raise _bad(f"a model of the answer is not a plain skops file ({type(exc).__name__})") from None
    foreign = foreign_types(untrusted)
    if foreign:
        raise RefusedAnswer(f"模型中含有不受信任的类型 {foreign[:5]}，留待人工复核",
                            f"the model holds types that are not trusted: {foreign[:5]}; left for a "
                            "human to review")
    try:
        return sio.loads(data, trusted=untrusted)
    except Exception as exc:
        raise _bad(f"a model of the answer could not be loaded ({type(exc).__name__})") from None


def loads(data: bytes, remote: Callable[[str], Any] | None = None, *, max_bytes: int = MAX_BYTES) -> Any:
    """Rebuild a value written by :func:`dumps` without unpickling or calling anything it names.

    ``remote(key)`` turns a notebook function's key into a proxy; without it a function is refused.
    Raises :class:`RefusedAnswer` on anything that is not data of the kinds listed in this module.
    """
    if len(data) > max_bytes:
        raise RefusedAnswer(f"答案超过 {max_bytes // 2**20} MB，留待人工复核",
                            f"the answer is larger than {max_bytes // 2**20} MB; left for a human to review")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _bad("the answer is not in the data format") from None
    if (any(i.compress_type != zipfile.ZIP_STORED for i in infos)
            or sum(i.file_size for i in infos) > len(data)):
        raise _bad("the answer's members are compressed")
    with archive:
        if any(i.filename == MANIFEST and i.file_size > MAX_MANIFEST_BYTES for i in infos):
            raise _bad(f"the answer's manifest is larger than {MAX_MANIFEST_BYTES // 2**20} MB")
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError, RecursionError, zipfile.BadZipFile):
            raise _bad("the answer has no readable manifest") from None
        try:
            return _Reader(archive, remote).node(manifest)
        except RefusedAnswer:
            raise
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError, zipfile.BadZipFile,
                zoneinfo.ZoneInfoNotFoundError) as exc:
            raise _bad(f"a value of the answer is malformed ({type(exc).__name__})") from None
