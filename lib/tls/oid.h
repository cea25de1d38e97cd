/* The object identifiers the X.509 and key parsers recognise, as their
 * DER content bytes (for DER_OID_IS). */
#ifndef MIRAGE_TLS_OID_H
#define MIRAGE_TLS_OID_H

#define OID_RSA_ENCRYPTION  "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
#define OID_SHA256_WITH_RSA "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"
#define OID_SHA384_WITH_RSA "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0c"
#define OID_SHA512_WITH_RSA "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0d"
#define OID_EC_PUBLIC_KEY   "\x2a\x86\x48\xce\x3d\x02\x01"
#define OID_ECDSA_SHA256    "\x2a\x86\x48\xce\x3d\x04\x03\x02"
#define OID_ECDSA_SHA384    "\x2a\x86\x48\xce\x3d\x04\x03\x03"
#define OID_ECDSA_SHA512    "\x2a\x86\x48\xce\x3d\x04\x03\x04"
#define OID_P256            "\x2a\x86\x48\xce\x3d\x03\x01\x07"
#define OID_P384            "\x2b\x81\x04\x00\x22"
#define OID_P521            "\x2b\x81\x04\x00\x23"
#define OID_COMMON_NAME     "\x55\x04\x03"
#define OID_SUBJECT_KEY_ID  "\x55\x1d\x0e"
#define OID_KEY_USAGE       "\x55\x1d\x0f"
#define OID_SUBJECT_ALT     "\x55\x1d\x11"
#define OID_ISSUER_ALT      "\x55\x1d\x12"
#define OID_BASIC_CONSTR    "\x55\x1d\x13"
#define OID_NAME_CONSTR     "\x55\x1d\x1e"
#define OID_CRL_DIST        "\x55\x1d\x1f"
#define OID_CERT_POLICIES   "\x55\x1d\x20"
#define OID_AUTH_KEY_ID     "\x55\x1d\x23"
#define OID_POLICY_CONSTR   "\x55\x1d\x24"
#define OID_EXT_KEY_USAGE   "\x55\x1d\x25"
#define OID_INHIBIT_ANY     "\x55\x1d\x36"
#define OID_ANY_EKU         "\x55\x1d\x25\x00"
#define OID_SERVER_AUTH     "\x2b\x06\x01\x05\x05\x07\x03\x01"
#define OID_AUTH_INFO       "\x2b\x06\x01\x05\x05\x07\x01\x01"
#define OID_SCT_LIST        "\x2b\x06\x01\x04\x01\xd6\x79\x02\x04\x02"

#endif
