/* xenstore wire protocol: message types, message header and the shared ring page. */
#ifndef XENOLITH_PUBLIC_IO_XS_WIRE_H
#define XENOLITH_PUBLIC_IO_XS_WIRE_H

/* Size of each of the two rings in the shared page. */
#define XENSTORE_RING_SIZE 1024

#define XENSTORE_PAYLOAD_MAX  4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

/* Legacy XS_WRITE flag strings. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

#ifndef __ASSEMBLY__

#include <stdint.h>

/* xsd_sockmsg.type */
enum xsd_sockmsg_type {
    XS_CONTROL = 0,
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, withdrawn. */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23, /* one past the last type known to Xen 4.17 */
    XS_INVALID = 0xffff
};
#define XS_DEBUG XS_CONTROL /* old name */

/* Payload parts of an XS_WATCH_EVENT message. */
enum xs_watch_type { XS_WATCH_PATH = 0, XS_WATCH_TOKEN = 1 };

/* Message header (16 bytes), followed by len bytes of payload. */
struct xsd_sockmsg {
    uint32_t type;   /* enum xsd_sockmsg_type */
    uint32_t req_id; /* echoed in the reply */
    uint32_t tx_id;  /* transaction, 0 = none */
    uint32_t len;    /* payload bytes, at most XENSTORE_PAYLOAD_MAX */
};

typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((XENSTORE_RING_IDX)(idx) & (XENSTORE_RING_SIZE - 1))

/* Shared ring page: req[] guest -> server, rsp[] server -> guest. */
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons;
    XENSTORE_RING_IDX req_prod;
    XENSTORE_RING_IDX rsp_cons;
    XENSTORE_RING_IDX rsp_prod;
    uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;      /* XENSTORE_CONNECTED / XENSTORE_RECONNECT */
    uint32_t error;           /* XENSTORE_ERROR_* */
};

#endif /* !__ASSEMBLY__ */

#endif /* XENOLITH_PUBLIC_IO_XS_WIRE_H */
