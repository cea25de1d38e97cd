# lib/random: the random device (default_random) with its own Fortuna
# generator, SHA-256 and AES-256, and their hosted tests (the primitives
# against BearSSL's).
$(call library,random,$(call lib_sources,random),rt)

$(call unit_test,crypto_sha256,test/unit/crypto_sha256.c,random,-lbearssl)
$(call unit_test,crypto_aes256,test/unit/crypto_aes256.c,random,-lbearssl)
$(call unit_test,random_fortuna,test/unit/random_fortuna.c,random)
$(call unit_test,random_device,test/unit/random_device.c,random)
