# lib/http: HTTP/1.1 (include/mirage/http.h): the incremental head parser,
# chunked coding, the server's connection loop and responses, static
# files from a kv_ro store, dates, media types and the client.
HTTP_SRCS := $(wildcard lib/http/*.c)
$(eval $(call fs_lib,http,$(HTTP_SRCS)))

# Tests: the parsers, hosted.
$(eval $(call unit_test,http_parse,test/unit/http_parse_test.c \
	lib/http/parse.c lib/http/message.c lib/http/chunked.c \
	lib/http/date.c lib/http/status.c lib/rt/tm.c test/unit/test.c))
