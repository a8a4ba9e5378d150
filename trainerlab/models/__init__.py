"""Small models the labs run, built deterministically on the learner's machine.

No model binary is committed: each module here trains its model from data that ships with a
package (scikit-learn's digits, the bundled credit table) and writes the file on first use, byte
for byte the same on every run of the same machine set-up.
"""
