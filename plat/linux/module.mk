# plat/linux: raw system calls and vDSO lookup shared by the platforms that
# run as Linux processes (unix, spt). The platforms compile the sources
# they use into their own libplat.a; the tests live here.
$(call unit_test,linux_vdso,test/unit/linux_vdso.c plat/linux/vdso.c)
