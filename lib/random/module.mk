# lib/random: the random device (default_random) with its own Fortuna
# generator, SHA-256 and AES-256, and their hosted tests.
RANDOM_SRCS := lib/random/sha256.c lib/random/aes256.c lib/random/fortuna.c
$(eval $(call fs_lib,random,$(RANDOM_SRCS) lib/random/random.c \
	lib/random/uniform.c))

$(eval $(call unit_test,crypto_sha256,test/unit/test.c \
	test/unit/crypto_sha256.c lib/random/sha256.c,-lbearssl))
$(eval $(call unit_test,crypto_aes256,test/unit/test.c \
	test/unit/crypto_aes256.c lib/random/aes256.c,-lbearssl))
$(eval $(call unit_test,random_fortuna,test/unit/test.c \
	test/unit/random_fortuna.c $(RANDOM_SRCS)))
$(eval $(call unit_test,random_device,test/unit/test.c \
	test/unit/random_device.c $(RANDOM_SRCS) lib/random/random.c \
	lib/random/uniform.c))
