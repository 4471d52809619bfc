// swift-tools-version: 6.2
import PackageDescription

/// Concierge: a customer-service worker fleet over RabbitMQ and PostgreSQL.
///
/// Layers, bottom up:
/// - `ConciergeSupport`: small helpers every layer shares (backoff, connection URLs, `Duration` conversions,
///   `SplitMix64`); no C, no I/O, no dependencies.
/// - `CRabbitMQ`, `CLibPQ`: the C libraries (rabbitmq-c 0.11, libpq 15), imported only by their wrappers.
/// - `ConciergeAMQP`, `ConciergePostgres`: small safe clients, each connection owned by one thread.
/// - `ConciergeCore`: the domain with no I/O (message contracts, money, routing policy, ledger arithmetic).
/// - `IntentClassifier`: the embedded, trainable intent model (pure Swift).
/// - `ConciergeYAML`, `ConciergeIntents`: configuration files' YAML, and the intent catalog read from it.
/// - `ConciergeRuntime`: the worker runtime every worker shares (inbox/outbox, batching, retries, health, metrics).
/// - one module per worker, then thin executables.
/// - `ConciergeSchema`: every module ships its own SQL migrations (`Migrations/`, a `MigrationSet`); this module lists
///   them all for `conciergectl migrate` and holds the migrations that span modules (roles, erasure, retention).
let package = Package(
    name: "concierge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "conciergectl", targets: ["conciergectl"]),
        .executable(name: "concierge-classifier", targets: ["concierge-classifier"]),
        .executable(name: "concierge-responder", targets: ["concierge-responder"]),
        .executable(name: "concierge-escalation", targets: ["concierge-escalation"]),
        .executable(name: "concierge-payout", targets: ["concierge-payout"]),
        .executable(name: "concierge-agent-gateway", targets: ["concierge-agent-gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // InMemoryLogging (the tests' log handler) is a product of the resolved 1.16.2; earlier tags were not checked.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        // Already in the graph through the packages above; declared because the runtime and the gateway import them.
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        // The agent app's gateway only: no worker depends on these.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // C libraries.
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Helpers below everything else.
        .target(name: "ConciergeSupport"),

        // Safe clients.
        .target(
            name: "ConciergeAMQP",
            dependencies: ["CRabbitMQ", "ConciergeSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "ConciergePostgres",
            dependencies: ["CLibPQ", "ConciergeSupport", .product(name: "Logging", package: "swift-log")]
        ),

        // Domain.
        .target(name: "ConciergeCore", dependencies: ["ConciergeSupport"]),
        .target(name: "IntentClassifier", dependencies: ["ConciergeSupport"]),
        // Configuration files' YAML, decoded without Yams's traps (an overflowing base-60 number).
        .target(name: "ConciergeYAML", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The intent catalog (config/intents.yaml), read by the classifier, the responder and conciergectl alike.
        .target(name: "ConciergeIntents", dependencies: ["ConciergeCore", "ConciergeYAML"]),

        // Runtime shared by the workers.
        .target(
            name: "ConciergeRuntime",
            dependencies: [
                "ConciergeCore", "ConciergeAMQP", "ConciergePostgres", "ConciergeSupport", "ConciergeYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Migrations")]
        ),

        // Workers.
        .target(
            name: "ClassifierWorker",
            dependencies: [
                "ConciergeRuntime", "ConciergeCore", "ConciergePostgres", "IntentClassifier", "ConciergeYAML",
                "ConciergeIntents",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "ResponderWorker",
            dependencies: [
                "ConciergeRuntime", "ConciergeCore", "ConciergePostgres", "ConciergeYAML", "ConciergeIntents",
                "ConciergeSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "EscalationWorker",
            dependencies: [
                "ConciergeRuntime", "ConciergeCore", "ConciergePostgres", "PayoutWorker",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Migrations")]
        ),
        // Conversation outcomes (resolved / pending / repeat / handed off) and the reports built from them.
        .target(name: "ConciergeReports", dependencies: ["ConciergePostgres", "ConciergeSupport"]),
        // Benchmarks: the pass-through worker (the runtime with a handler that does almost nothing), publishing at a
        // pace, latency figures, the fleet's readiness and a run's verdict (conciergectl bench, the runtime's tests).
        .target(
            name: "ConciergeBench",
            dependencies: [
                "ConciergeSupport", "ConciergeRuntime", "ConciergeCore", "ConciergeAMQP", "ConciergePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // conciergectl's logic behind its argument parsing: the agent simulator, the gateway benchmark, conversations,
        // the intent model's training, evaluation and benchmark, the responder benchmark, the dead-letter reports,
        // topology and queues, `route`, `report`, what `payouts` and `agents` print, the demo's files.
        .target(
            name: "ConciergeAdmin",
            dependencies: [
                "ConciergeSupport", "ConciergeBench", "ConciergeRuntime", "ConciergeCore", "ConciergeAMQP",
                "ConciergePostgres", "EscalationWorker", "IntentClassifier", "ClassifierWorker", "ResponderWorker",
                "ConciergeReports", "PayoutWorker", "ConciergeDemo", "AgentCredentials",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // `bench gateway` only: the agents' WebSockets.
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The demo's generated day and its answer check (conciergectl demo stream|check).
        .target(
            name: "ConciergeDemo",
            dependencies: ["ResponderWorker", "ConciergePostgres", "ConciergeCore", "ConciergeSupport"]),
        .target(
            name: "PayoutWorker",
            dependencies: [
                "ConciergeRuntime", "ConciergeCore", "ConciergePostgres", "ConciergeYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Migrations")]
        ),

        // The agent app: credentials (shared with conciergectl, no HTTP server), then the gateway.
        .target(
            name: "AgentCredentials",
            dependencies: [
                "ConciergeRuntime", "ConciergePostgres", "ConciergeCore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "AgentGateway",
            dependencies: [
                "AgentCredentials", "ConciergeRuntime", "ConciergeAMQP", "ConciergePostgres", "ConciergeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),

        // The fleet's database schema: every module's migration set in one list, and the migrations that span modules.
        .target(
            name: "ConciergeSchema",
            dependencies: [
                "ConciergeRuntime", "ClassifierWorker", "ResponderWorker", "EscalationWorker", "PayoutWorker",
                "AgentCredentials",
            ],
            resources: [.copy("Migrations")]
        ),

        // Executables.
        .executableTarget(
            name: "conciergectl",
            dependencies: [
                "ConciergeRuntime", "ConciergeCore", "ConciergeAMQP", "ConciergePostgres", "ClassifierWorker",
                "IntentClassifier", "ConciergeIntents",
                "ResponderWorker", "EscalationWorker", "PayoutWorker", "AgentCredentials", "ConciergeReports",
                "ConciergeDemo", "ConciergeSchema",
                "ConciergeBench", "ConciergeAdmin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .executableTarget(name: "concierge-classifier", dependencies: ["ClassifierWorker", "ConciergeRuntime"]),
        .executableTarget(name: "concierge-responder", dependencies: ["ResponderWorker", "ConciergeRuntime"]),
        .executableTarget(name: "concierge-escalation", dependencies: ["EscalationWorker", "ConciergeRuntime"]),
        .executableTarget(name: "concierge-payout", dependencies: ["PayoutWorker", "ConciergeRuntime"]),
        .executableTarget(name: "concierge-agent-gateway", dependencies: ["AgentGateway", "ConciergeRuntime"]),

        // Test support and tests.
        .target(
            name: "ConciergeTesting",
            dependencies: [
                "ConciergeRuntime", "ConciergeSchema", "ConciergeAMQP", "ConciergePostgres", "ConciergeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ConciergeAMQPTests",
            dependencies: [
                "ConciergeAMQP", "ConciergeTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ConciergePostgresTests",
            dependencies: [
                "ConciergePostgres", "ConciergeTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ConciergeSupportTests", dependencies: ["ConciergeSupport"]),
        .testTarget(name: "IntentClassifierTests", dependencies: ["IntentClassifier"]),
        .testTarget(name: "ConciergeCoreTests", dependencies: ["ConciergeCore", "ConciergeSupport"]),
        .testTarget(
            name: "ConciergeRuntimeTests",
            dependencies: [
                "ConciergeRuntime", "ConciergeTesting", "ConciergeSchema", "ConciergeBench", "ConciergeAMQP",
                "ConciergePostgres", "ConciergeCore", "ConciergeYAML",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ClassifierWorkerTests",
            dependencies: [
                "ClassifierWorker", "ConciergeTesting", "ConciergeSchema", "ConciergeAMQP", "ConciergePostgres",
                "ConciergeCore",
                "ConciergeRuntime", "IntentClassifier", "ConciergeIntents", "ConciergeYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "DeployTests", dependencies: ["ConciergeRuntime", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "ResponderWorkerTests",
            dependencies: [
                // ClassifierWorker: the catalog's examples, the routing file's AI languages and the language detector,
                // for the tests that every how-to intent is answered in every AI language.
                "ResponderWorker", "ClassifierWorker", "ConciergeIntents", "ConciergeYAML", "ConciergeTesting",
                "ConciergeSchema", "ConciergeAMQP",
                "ConciergePostgres", "ConciergeCore", "ConciergeRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .testTarget(
            name: "EscalationWorkerTests",
            dependencies: [
                "EscalationWorker", "PayoutWorker", "ConciergeTesting", "ConciergeSchema", "ConciergeAMQP",
                "ConciergePostgres", "ConciergeCore", "ConciergeRuntime", "ConciergeYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PayoutWorkerTests",
            dependencies: [
                "PayoutWorker", "ConciergeTesting", "ConciergeSchema", "ConciergeAMQP", "ConciergePostgres",
                "ConciergeRuntime", "ConciergeCore", "ConciergeYAML",
                "ConciergeSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .testTarget(
            name: "AgentGatewayTests",
            dependencies: [
                "AgentGateway", "AgentCredentials", "EscalationWorker", "PayoutWorker", "ConciergeTesting",
                "ConciergeSchema", "ConciergeAMQP",
                "ConciergePostgres", "ConciergeCore", "ConciergeRuntime",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // conciergectl's argument parsing.
        .testTarget(
            name: "ConciergectlTests",
            dependencies: [
                "conciergectl", "ConciergeAdmin", "ConciergeRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "ConciergeBenchTests",
            dependencies: [
                "ConciergeBench", "ConciergeTesting", "ConciergeSchema", "ConciergePostgres", "ConciergeRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "ConciergeAdminTests",
            dependencies: [
                "ConciergeSupport", "ConciergeAdmin", "ConciergeTesting", "ConciergeSchema", "ConciergePostgres",
                "ConciergeRuntime", "ConciergeCore", "IntentClassifier", "ResponderWorker", "ConciergeIntents",
                "ClassifierWorker", "PayoutWorker", "ConciergeDemo", "EscalationWorker",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"), "ConciergeAMQP",
            ]
        ),
        .testTarget(name: "ConciergeYAMLTests", dependencies: ["ConciergeYAML"]),
        .testTarget(
            name: "ConciergeReportsTests",
            dependencies: [
                "ConciergeReports", "ConciergeTesting", "ConciergeSchema", "ConciergePostgres", "ConciergeRuntime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ConciergeDemoTests",
            dependencies: [
                "ConciergeDemo", "ResponderWorker", "ConciergeCore", "ConciergeTesting", "ConciergeSchema",
                "ConciergePostgres", "ConciergeRuntime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// Upcoming language features that catch mistakes, on for every Swift target: an existential spelled `any`, a member
// usable only where its module is imported, and imports internal unless marked `public import` (SE-0409), so that a
// module's public API names only the modules it means to expose.
for target in package.targets where target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"),
            .enableUpcomingFeature("InternalImportsByDefault"),
        ]
}
