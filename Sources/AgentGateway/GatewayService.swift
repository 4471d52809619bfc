import AgentCredentials
public import ConciergeAMQP
public import ConciergePostgres
public import ConciergeRuntime
import Foundation
import Hummingbird
import HummingbirdWebSocket
public import Logging
public import ServiceLifecycle
import Synchronization

/// The agent app's gateway: an HTTP and WebSocket server (Hummingbird 2) in front of the fleet's broker.
///
/// `run()` connects (AMQP as the gateway's own user, PostgreSQL), declares this replica's queue
/// (`concierge.gateway.<replica_id>`, non-durable, removed by the broker 60 s after this replica is gone; declared
/// again with the bindings of the agents connected here whenever the consumer reconnects), and serves
/// until graceful shutdown: the pages, the WebSocket, the bridge from the queue to the tabs, and the presence loop.
/// It keeps no agent's state that another replica would need (see ``AgentHub``). Settings: ``GatewaySettings``.
public final class GatewayService: Service {
    public let settings: GatewaySettings
    let amqp: AMQPConfiguration
    let postgres: PostgresConfiguration
    let logger: Logger
    let health: WorkerHealth?
    let metrics: GatewayMetrics
    private let boundPort = PortBox()
    private let liveHub = Mutex<AgentHub?>(nil)

    /// `metrics`: the process's one instance (the executable makes it; a test may pass its own).
    public init(
        settings: GatewaySettings, amqp: AMQPConfiguration, postgres: PostgresConfiguration,
        health: WorkerHealth? = nil,
        metrics: GatewayMetrics = GatewayMetrics(), logger: Logger
    ) {
        self.metrics = metrics
        self.settings = settings
        self.amqp = amqp
        self.postgres = postgres
        self.health = health
        var logger = logger
        logger[metadataKey: "gateway.replica"] = "\(settings.replicaID)"
        self.logger = logger
    }

    /// The port the app listens on, once it does.
    public var listeningPort: Int? { self.boundPort.port }

    /// The agents whose keys this replica has bound (for operators and tests); empty before `run()`.
    public func boundAgents() async -> Set<String> {
        guard let hub = self.liveHub.withLock({ $0 }) else { return [] }
        return await hub.boundAgents
    }

    /// Waits until the app listens; returns the port.
    public func waitUntilListening(timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port = self.listeningPort { return port }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw GatewayError(.notListening, detail: "the gateway did not start listening within \(timeout)")
    }

    /// The replica queue (the outcomes exchange is the fleet's, declared by `conciergectl topology`; the gateway's
    /// AMQP user may not declare it).
    var queueTopology: AMQPTopology {
        AMQPTopology(
            queues: [.init(name: self.settings.queueName, durable: false, arguments: ["x-expires": .int(60_000)])]
        )
    }

    public func run() async throws {
        let publisher = try await AMQPPublisher.connect(configuration: self.amqp, logger: self.logger)
        let consumer: AMQPConsumer
        do {
            consumer = try await AMQPConsumer.connect(
                configuration: self.amqp, queue: self.settings.queueName, prefetch: 500, topology: self.queueTopology,
                logger: self.logger
            )
        } catch {
            await publisher.close()
            throw error
        }
        let credentialsDatabase: PostgresConnection
        let readsDatabase: PostgresConnection
        do {
            credentialsDatabase = try await PostgresConnection.connect(
                configuration: self.postgres, logger: self.logger)
            readsDatabase = try await PostgresConnection.connect(configuration: self.postgres, logger: self.logger)
        } catch {
            await consumer.close()
            await publisher.close()
            throw error
        }
        let hub = AgentHub(
            consumer: consumer, exchange: self.settings.outcomesExchange,
            unbindGrace: self.settings.heartbeatInterval * 3,
            logger: self.logger
        )
        self.liveHub.withLock { $0 = hub }
        let credentials = AgentCredentialStore(
            database: credentialsDatabase, hasher: PasswordHasher(cost: self.settings.bcryptCost),
            policy: self.settings.signIn
        )
        let reads = AgentReads(database: readsDatabase)
        let events = AgentEventPublisher(
            publisher: publisher, exchange: self.settings.agentsExchange, userID: self.amqp.username)
        let application = self.buildApplication(
            credentials: credentials, reads: reads, hub: hub, events: events,
            earnings: EarningsReads(database: readsDatabase))
        let bridge = BrokerBridge(consumer: consumer, hub: hub, metrics: self.metrics, logger: self.logger)
        let presence = PresenceLoop(
            hub: hub, reads: reads, events: events, interval: self.settings.heartbeatInterval, metrics: self.metrics,
            logger: self.logger
        )
        let health = self.health
        // Ready once the replica consumes its queue and the app accepts connections: a load balancer (or a test)
        // that sent a tab here on /readyz alone reached a port not yet bound.
        let boundPort = self.boundPort
        health?.setReadiness("gateway") { consumer.isConsuming && boundPort.port != nil }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await application.run() }
                group.addTask { try await Self.untilShutdown { try await bridge.run() } }
                group.addTask { try await Self.untilShutdown { try await presence.run() } }
                if let health {
                    group.addTask {
                        try await Self.untilShutdown {
                            while !Task.isCancelled {
                                health.tick()
                                try await Task.sleep(for: .milliseconds(250))
                            }
                        }
                    }
                }
                try await group.next()
                await hub.closeAll()
                // At graceful shutdown every task ends by itself (the HTTP server once its connections closed, which
                // cancelling it would cut short with an error logged on every deploy); otherwise one ended early: stop
                // the rest.
                if !Task.isShuttingDownGracefully { group.cancelAll() }
                while (try? await group.next()) != nil {}
            }
        } catch {
            await self.close(
                hub: hub, consumer: consumer, publisher: publisher, databases: [credentialsDatabase, readsDatabase])
            throw error
        }
        await self.close(
            hub: hub, consumer: consumer, publisher: publisher, databases: [credentialsDatabase, readsDatabase])
    }

    /// Runs `operation` until graceful shutdown cancels it; the cancellation that shutdown causes is the normal end,
    /// not an error (it reached the top level and crashed the process on SIGTERM, exit 132, before).
    static func untilShutdown(_ operation: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await cancelWhenGracefulShutdown(operation)
        } catch is CancellationError {
            return
        }
    }

    private func close(hub: AgentHub, consumer: AMQPConsumer, publisher: AMQPPublisher, databases: [PostgresConnection])
        async
    {
        await hub.closeAll()
        await consumer.close()
        await publisher.close()
        for database in databases { await database.close() }
        self.logger.info("Gateway stopped")
    }

    func buildApplication(
        credentials: AgentCredentialStore, reads: AgentReads, hub: AgentHub, events: AgentEventPublisher,
        earnings: EarningsReads
    ) -> some ApplicationProtocol {
        let router = Router(context: GatewayRequestContext.self)
        router.middlewares.add(SecurityHeadersMiddleware<GatewayRequestContext>())
        router.middlewares.add(SessionMiddleware(credentials: credentials))
        SignInRoutes(credentials: credentials, settings: self.settings, metrics: self.metrics).add(to: router)
        PageRoutes(reads: reads, earnings: earnings).add(to: router)
        let settings = self.settings
        let metrics = self.metrics
        let logger = self.logger
        let webSocketRouter = Router(context: GatewayRequestContext.self)
        webSocketRouter.middlewares.add(SessionMiddleware(credentials: credentials))
        webSocketRouter.ws("/ws") { request, context in
            guard context.session != nil else {
                context.logger.notice("WebSocket refused: no valid session")
                throw HTTPError(.unauthorized, message: "Sign in first.")
            }
            guard Self.sameOrigin(request) else {
                context.logger.notice(
                    "WebSocket refused: cross-origin", metadata: ["http.origin": "\(request.headers[.origin] ?? "")"])
                throw HTTPError(.forbidden, message: "Cross-origin WebSocket refused.")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let session = context.requestContext.session else { return }
            let socket = AgentSocket(
                agentID: session.agentID, hub: hub, reads: reads, events: events, settings: settings, metrics: metrics,
                logger: logger
            )
            try await socket.run(inbound: inbound, outbound: outbound)
        }
        let boundPort = self.boundPort
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocketRouter,
                configuration: .init(
                    ws: .init(
                        maxFrameSize: self.settings.maximumMessageBytes,
                        autoPing: .enabled(timePeriod: self.settings.pingInterval)))
            ),
            configuration: .init(
                address: .hostname(self.settings.host, port: self.settings.port), serverName: "concierge-agent-gateway"),
            onServerRunning: { channel in boundPort.port = channel.localAddress?.port },
            logger: self.logger
        )
    }

    /// A browser's WebSocket must come from a page of this host (cross-site WebSocket hijacking). Browsers send one
    /// `Origin` with an `http`/`https` scheme; non-browser clients send none or a `ws`/`wss` one. Every `Origin`
    /// value must pass.
    static func sameOrigin(_ request: Request) -> Bool {
        let origins = request.headers[values: .origin]
        guard !origins.isEmpty else { return true }
        let host = request.head.authority
        return origins.allSatisfy { origin in
            if origin.hasPrefix("ws://") || origin.hasPrefix("wss://") { return true }
            guard let host else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
    }
}

/// Why the gateway could not start. `description` is safe to log.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        public static let notListening = Code("not_listening")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}

/// The port the server bound, set once it runs.
final class PortBox: Sendable {
    private let value = Mutex<Int?>(nil)
    var port: Int? {
        get { self.value.withLock { $0 } }
        set { self.value.withLock { $0 = newValue } }
    }
}
