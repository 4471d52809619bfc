internal import CRabbitMQ
import ConciergeSupport
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One rabbitmq-c connection (`amqp_connection_state_t`): open, log in, run RPCs, send methods, read frames.
///
/// Confined to the thread of the ``AMQPIOLoop`` that owns it (rabbitmq-c is not thread-safe). Every call may
/// block for at most the configured connect/operation timeout. After a library error the connection is
/// unusable (``isUsable`` is false) and the owner reconnects. ``close()`` is the normal way out; `deinit` only
/// frees the C state.
final class AMQPConnection {
    let state: amqp_connection_state_t
    let configuration: AMQPConfiguration
    private let logger: Logger
    /// False once the socket failed, the broker closed the connection, or ``close()`` ran.
    private(set) var isUsable = true
    /// The heartbeat interval the broker agreed to (seconds; 0 = none).
    private(set) var heartbeatSeconds = 0
    /// Scratch memory for names, tables and properties; recycled after each operation.
    let arena = CArena()

    private init(state: amqp_connection_state_t, configuration: AMQPConfiguration, logger: Logger) {
        self.state = state
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        amqp_destroy_connection(state)
    }

    /// Opens the socket (TCP or TLS), performs the handshake and logs in.
    static func open(configuration: AMQPConfiguration, logger: Logger) throws(AMQPError) -> AMQPConnection {
        let operation = "connect"
        guard configuration.heartbeat > .zero else {
            throw AMQPError(.connectionFailed, operation: operation, detail: "heartbeat must be positive")
        }
        guard let state = amqp_new_connection() else {
            throw AMQPError(.connectionFailed, operation: operation, detail: "out of memory")
        }
        let connection = AMQPConnection(state: state, configuration: configuration, logger: logger)
        let socket: OpaquePointer?
        if configuration.useTLS {
            socket = amqp_ssl_socket_new(state)
            if let socket {
                amqp_ssl_socket_set_verify_peer(socket, configuration.verifyPeer ? 1 : 0)
                amqp_ssl_socket_set_verify_hostname(socket, configuration.verifyPeer ? 1 : 0)
                // Without a CA file of its own, rabbitmq-c trusts nothing: give it the system's bundle.
                let systemBundle = "/etc/ssl/certs/ca-certificates.crt"
                let caPath =
                    configuration.caCertificatePath
                    ?? (access(systemBundle, R_OK) == 0 ? systemBundle : nil)
                if let path = caPath {
                    let status = amqp_ssl_socket_set_cacert(socket, path)
                    guard status == AMQP_STATUS_OK.rawValue else {
                        throw connection.libraryError(status, operation: "tls ca certificate", code: .connectionFailed)
                    }
                }
                if let certificate = configuration.clientCertificatePath, let key = configuration.clientKeyPath {
                    let status = amqp_ssl_socket_set_key(socket, certificate, key)
                    guard status == AMQP_STATUS_OK.rawValue else {
                        throw connection.libraryError(
                            status, operation: "tls client certificate", code: .connectionFailed)
                    }
                }
            }
        } else {
            socket = amqp_tcp_socket_new(state)
        }
        guard let socket else {
            throw AMQPError(.connectionFailed, operation: operation, detail: "cannot create socket")
        }

        var connectTimeout = timeval(configuration.connectTimeout)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &connectTimeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            connection.isUsable = false
            throw connection.libraryError(status, operation: operation, code: .connectionFailed)
        }
        _ = amqp_set_handshake_timeout(state, &connectTimeout)
        var rpcTimeout = timeval(configuration.operationTimeout)
        _ = amqp_set_rpc_timeout(state, &rpcTimeout)

        let arena = connection.arena
        defer { arena.recycle() }
        let capabilities: [String: AMQPFieldValue] = [
            "consumer_cancel_notify": true, "connection.blocked": true, "publisher_confirms": true,
            "basic.nack": true, "exchange_exchange_bindings": true, "authentication_failure_close": true,
        ]
        var properties = AMQPFieldValue.cTable(
            ["connection_name": .string(configuration.connectionName), "capabilities": .table(capabilities)],
            in: arena)
        let reply = concierge_amqp_login_plain(
            state, configuration.virtualHost, 0, Int32(AMQP_DEFAULT_FRAME_SIZE), Int32(configuration.heartbeatSeconds),
            &properties, configuration.username, configuration.password)
        do {
            try connection.check(reply, operation: "login", channel: 0)
        } catch {
            connection.isUsable = false
            var error = error
            if error.replyCode == 403 || error.replyCode == 530 {
                error.code = .authenticationFailed
            } else if error.code != .timeout {
                error.code = .connectionFailed
            }
            throw error
        }
        connection.heartbeatSeconds = Int(amqp_get_heartbeat(state))
        return connection
    }

    /// The socket to poll, or -1.
    var socketDescriptor: Int32 { amqp_get_sockfd(state) }

    /// Runs `body` with the socket corked (Linux `TCP_CORK`): the frames it writes leave in full segments when it
    /// returns instead of one segment per message, so the broker reads a batch of publishes in one go. A no-op where
    /// `TCP_CORK` does not exist.
    func corked<T>(_ body: () throws(AMQPError) -> T) throws(AMQPError) -> T {
        #if os(Linux)
            let descriptor = self.socketDescriptor
            var on: Int32 = 1
            var off: Int32 = 0
            let corked =
                descriptor >= 0
                && setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_CORK, &on, socklen_t(MemoryLayout<Int32>.size)) == 0
            defer {
                if corked {
                    _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_CORK, &off, socklen_t(MemoryLayout<Int32>.size))
                }
            }
        #endif
        return try body()
    }

    /// Whether decoded frames or unread bytes are waiting in the library (poll would not see them).
    var hasBufferedInput: Bool { amqp_data_in_buffer(state) != 0 || amqp_frames_enqueued(state) != 0 }

    /// Reads one frame without blocking (this is also where rabbitmq-c sends a due heartbeat).
    /// Returns `false` when nothing complete is available.
    func readFrame(into frame: inout amqp_frame_t) throws(AMQPError) -> Bool {
        var immediately = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &immediately)
        if status == AMQP_STATUS_OK.rawValue { return true }
        if status == AMQP_STATUS_TIMEOUT.rawValue { return false }
        isUsable = false
        throw libraryError(status, operation: "read frame", code: .connectionClosed)
    }

    /// Releases frame memory once everything read so far has been copied out.
    func releaseBuffers() { amqp_maybe_release_buffers(state) }

    /// Reads the content (header and body frames) following a basic.deliver or basic.return on `channel`.
    /// The closure sees the C message; it is destroyed afterwards.
    func readContent<T>(channel: UInt16, _ body: (amqp_message_t) -> T) throws(AMQPError) -> T {
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        try check(reply, operation: "read message", channel: channel)
        defer { amqp_destroy_message(&message) }
        return body(message)
    }

    // MARK: Channels

    func openChannel(_ channel: UInt16) throws(AMQPError) {
        if amqp_channel_open(state, channel) == nil {
            try checkLastReply(operation: "channel.open", channel: channel)
        }
    }

    /// Closes a channel gracefully (errors are ignored: the channel is gone either way).
    func closeChannel(_ channel: UInt16) {
        guard isUsable else { return }
        let reply = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
        try? check(reply, operation: "channel.close", channel: channel)
    }

    /// Answers a broker-initiated channel.close.
    func sendChannelCloseOk(_ channel: UInt16) throws(AMQPError) {
        var ok = amqp_channel_close_ok_t()
        try send(AMQPMethod.channelCloseOk, channel: channel, &ok, operation: "channel.close-ok")
    }

    /// Answers a broker-initiated connection.close; the connection is unusable afterwards.
    func sendConnectionCloseOk() {
        var ok = amqp_connection_close_ok_t()
        _ = amqp_send_method(state, 0, AMQPMethod.connectionCloseOk, &ok)
        isUsable = false
    }

    /// Closes the connection gracefully when it still works (bounded by the operation timeout), then the socket.
    func close() {
        if isUsable {
            isUsable = false
            let reply = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            if reply.reply_type != AMQP_RESPONSE_NORMAL {
                logger.debug("AMQP connection.close did not complete cleanly")
            }
        }
    }

    /// Marks the connection dead (e.g. missed heartbeats); the socket is closed when the state is destroyed.
    func abandon() { isUsable = false }

    func send<Method: BitwiseCopyable>(
        _ id: amqp_method_number_t, channel: UInt16, _ method: inout Method, operation: String
    ) throws(AMQPError) {
        let status = withUnsafeMutableBytes(of: &method) { amqp_send_method(state, channel, id, $0.baseAddress) }
        guard status == AMQP_STATUS_OK.rawValue else {
            isUsable = false
            throw libraryError(status, operation: operation, code: .connectionClosed)
        }
    }

    // MARK: Errors

    /// Throws for anything but a normal reply. Answers broker closes (channel.close-ok / connection.close-ok).
    func check(_ reply: amqp_rpc_reply_t, operation: String, channel: UInt16) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == AMQPMethod.channelClose, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                let error = AMQPError(
                    .channelClosed, operation: operation, replyCode: Int(close.reply_code),
                    replyText: close.reply_text.string)
                try sendChannelCloseOk(channel)
                throw error
            }
            if reply.reply.id == AMQPMethod.connectionClose, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                let error = AMQPError(
                    .connectionClosed, operation: operation, replyCode: Int(close.reply_code),
                    replyText: close.reply_text.string)
                sendConnectionCloseOk()
                throw error
            }
            isUsable = false
            throw AMQPError(.protocolError, operation: operation, detail: "unexpected method \(reply.reply.id)")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            isUsable = false
            let code: AMQPError.Code =
                reply.library_error == AMQP_STATUS_TIMEOUT.rawValue ? .timeout : .connectionClosed
            throw libraryError(reply.library_error, operation: operation, code: code)
        default:
            isUsable = false
            throw AMQPError(.protocolError, operation: operation, detail: "no reply")
        }
    }

    /// Turns the last RPC reply into an error; called after a method call returned NULL.
    func checkLastReply(operation: String, channel: UInt16) throws(AMQPError) -> Never {
        try check(amqp_get_rpc_reply(state), operation: operation, channel: channel)
        // A NULL result with a normal reply should not happen; treat it as a protocol error.
        isUsable = false
        throw AMQPError(.protocolError, operation: operation, detail: "empty reply")
    }

    func libraryError(_ status: Int32, operation: String, code: AMQPError.Code) -> AMQPError {
        let detail = amqp_error_string2(status).map { String(cString: $0) }
        let code: AMQPError.Code = status == AMQP_STATUS_TIMEOUT.rawValue && code != .connectionFailed ? .timeout : code
        return AMQPError(code, operation: operation, libraryStatus: Int(status), detail: detail)
    }
}
