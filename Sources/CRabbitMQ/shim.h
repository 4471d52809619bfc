#ifndef CONCIERGE_CRABBITMQ_SHIM_H
#define CONCIERGE_CRABBITMQ_SHIM_H
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/// `amqp_login_with_properties` is variadic (the SASL arguments), which Swift cannot call:
/// this wrapper fixes the method to PLAIN with a user name and a password.
static inline amqp_rpc_reply_t concierge_amqp_login_plain(
    amqp_connection_state_t state, char const *vhost, int channel_max, int frame_max, int heartbeat,
    const amqp_table_t *properties, char const *username, char const *password) {
  return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, properties,
                                    AMQP_SASL_METHOD_PLAIN, username, password);
}

#endif
