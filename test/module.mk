# Test support shared by the hosted unit tests. Every unit test links the
# harness test/unit/test.c (mk/rules.mk's unit_test); most run on the fake
# platform, a hosted library: plat.h over the host (fake_plat.c, with
# host_plat.c's shared pieces).
$(call hosted_lib,fake_plat,test/unit/fake_plat.c test/unit/host_plat.c,)
