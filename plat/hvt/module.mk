# plat/hvt: the guest bindings for the hvt target (a KVM guest run by
# mirage-hvt or Solo5's solo5-hvt), built with the shared Solo5 guest code
# in plat/solo5 by the rules in plat/solo5/rules.mk: libplat.a, start.o
# and link.ld in $(B)/lib/mirage/hvt/, and the test guests of
# test/hvt/guests in $(B)/test-images/.
include plat/solo5/rules.mk
$(call solo5_target,hvt)
$(call solo5_plain_guest,hvt,devices)
