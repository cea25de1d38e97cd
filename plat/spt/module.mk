# plat/spt: the guest bindings for the spt target (a seccomp-sandboxed
# process run by mirage-spt or Solo5's solo5-spt), built with the shared
# Solo5 guest code in plat/solo5 by the rules in plat/solo5/rules.mk:
# libplat.a, start.o and link.ld in $(B)/lib/mirage/spt/, and the test
# guests of test/spt/guests in $(B)/test-images/.
include plat/solo5/rules.mk
$(call solo5_target,spt)
$(call solo5_plain_guest,spt,net)
