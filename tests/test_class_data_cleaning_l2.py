"""The data_cleaning_l2 lab as one nbgrader class: both ways, round trip, answer corpus."""

from lab_class_tests import class_tests

globals().update(class_tests("data_cleaning_l2"))
