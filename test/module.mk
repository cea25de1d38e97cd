# The hosted unit tests share the harness in test/unit/test.c; each library's
# module.mk adds its own with $(call unit_test,...,test/unit/test.c ...).
