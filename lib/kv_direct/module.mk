# lib/kv_direct: direct_kv_ro / direct_kv_rw, a host directory as a store
# over the unix-only host files of <mirage/hostfs.h>, which only the unix
# platform provides. Tests: the kv_rw conformance suite and the
# confinement checks, on a scratch directory, with plat/unix's host files.
$(call library,kv_direct,$(call lib_sources,kv_direct),kv rt)

$(call unit_test,kv_conformance_direct,test/unit/kv_conformance.c \
	test/unit/kv_conformance_direct.c plat/unix/hostfs.c,\
	kv_direct fake_plat)
$(call unit_test,kv_direct,test/unit/kv_direct_test.c plat/unix/hostfs.c,\
	kv_direct fake_plat)
