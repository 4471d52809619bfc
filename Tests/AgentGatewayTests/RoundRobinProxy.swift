import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on one port in front of gateway replicas, as a load balancer would be: each new connection goes to the
/// next replica in turn and its bytes pass through untouched both ways (HTTP, the WebSocket upgrade, its frames).
///
/// It runs on swift-nio's event loops: nothing blocks a thread of Swift's cooperative pool (as wide as the machine has
/// cores, 2 here: a blocking `accept` or `read` per connection there would starve the replicas and the test, and the
/// suite would hang without a word). Closing either side of a connection closes the other, so a replica sees a tab go
/// away when its client does; ``close()`` cuts every connection still open, so nothing of it outlives the test.
final class RoundRobinProxy: Sendable {
    let port: Int
    private let server: any Channel
    private let state: State

    private final class State: Sendable {
        let accepted = Atomic<Int>(0)
        /// Both sides of every connection so far, to close them all at the end.
        let channels = Mutex<[any Channel]>([])
        /// The replica port each accepted connection went to, in order.
        let routes = Mutex<[Int]>([])
    }

    private init(port: Int, server: any Channel, state: State) {
        self.port = port
        self.server = server
        self.state = state
    }

    /// Listens on a free port of 127.0.0.1 in front of the replicas listening on `replicaPorts`.
    static func start(replicaPorts: [Int]) async throws -> RoundRobinProxy {
        precondition(!replicaPorts.isEmpty, "a proxy needs a replica")
        let state = State()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                // The connection is registered (and read) only once this future succeeds: nothing is lost before the
                // glue is in place. A replica that cannot be reached closes the client's connection.
                let replica = replicaPorts[
                    state.accepted.wrappingAdd(1, ordering: .relaxed).oldValue % replicaPorts.count]
                state.routes.withLock { $0.append(replica) }
                state.channels.withLock { $0.append(inbound) }
                return ClientBootstrap(group: inbound.eventLoop)
                    .connectTimeout(.seconds(5))
                    .connect(host: "127.0.0.1", port: replica)
                    .flatMapThrowing { outbound in
                        state.channels.withLock { $0.append(outbound) }
                        let (clientSide, replicaSide) = GlueHandler.matchedPair()
                        try inbound.pipeline.syncOperations.addHandler(clientSide)
                        try outbound.pipeline.syncOperations.addHandler(replicaSide)
                    }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = server.localAddress?.port else {
            try? await server.close()
            throw ProxyError(detail: "the proxy's listening socket has no port")
        }
        return RoundRobinProxy(port: port, server: server, state: state)
    }

    /// The replica port of each connection accepted so far, in order.
    var routes: [Int] { self.state.routes.withLock { $0 } }

    /// Stops listening and closes every connection still open, both sides.
    func close() async {
        try? await self.server.close()
        for channel in self.state.channels.withLock({ $0 }) { try? await channel.close() }
    }

    struct ProxyError: Error, CustomStringConvertible {
        var detail: String
        var description: String { self.detail }
    }
}

/// One side of a proxied connection, forwarding what it reads to its partner (the other side, on the same event
/// loop) and reading only while the partner can write (backpressure). swift-nio's connect-proxy example's glue.
private final class GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { self.partner?.context?.write(data, promise: nil) }

    func channelReadComplete(context: ChannelHandlerContext) { self.partner?.context?.flush() }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.context?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
        self.partner?.context?.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let partner = self.partner, partner.pendingRead {
            partner.pendingRead = false
            partner.context?.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.partner?.context?.channel.isWritable ?? false {
            context.read()
        } else {
            self.pendingRead = true
        }
    }
}
