#ifndef CONCIERGE_CLIBPQ_SHIM_H
#define CONCIERGE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
