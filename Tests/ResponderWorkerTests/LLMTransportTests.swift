import ConciergeRuntime
import Configuration
import ResponderWorker
import Testing

/// The LLM endpoint gets the bearer key and the customer's facts: https only (http:// to loopback in development
/// mode only), a key required in production, and the logged URL without path or query.
struct LLMTransportTests {
    static func load(_ values: [AbsoluteConfigKey: ConfigValue]) throws -> LLMConfiguration? {
        try LLMConfiguration.load(
            from: FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values))))
    }

    @Test(arguments: [
        ("http://127.0.0.1:8000/v1", false),
        ("http://llm.example.com/v1", false),
        ("http://llm.example.com/v1", true),
        ("ftp://llm.example.com/v1", false),
        ("llm.example.com/v1", false),
    ])
    func plainOrRemoteHTTPIsRefused(url: String, development: Bool) {
        let error = #expect(throws: ConfigurationError.self) {
            try Self.load([
                "responder.llm.url": .init(.string(url), isSecret: false),
                "fleet.development": .init(.bool(development), isSecret: false),
                "responder.llm.api_key": .init(.string("sk-key"), isSecret: true),
            ])
        }
        #expect(error?.key == "responder.llm.url")
    }

    @Test func httpsIsAcceptedAndLoggedWithoutPathOrQuery() throws {
        let configuration = try #require(
            try Self.load([
                "responder.llm.url": "https://llm.example.com:8443/tenant-42/v1?deployment=secret-d",
                "responder.llm.api_key": .init(.string("sk-key"), isSecret: true),
            ]))
        #expect(configuration.origin == "https://llm.example.com:8443")
        #expect(configuration.description.contains("https://llm.example.com:8443"))
        #expect(!configuration.description.contains("tenant-42"))
        #expect(!configuration.description.contains("secret-d"))
        #expect(!configuration.description.contains("sk-key"))
    }

    @Test func loopbackHTTPIsAllowedInDevelopmentMode() throws {
        let configuration = try Self.load(["responder.llm.url": "http://127.0.0.1:8000/v1", "fleet.development": true])
        #expect(configuration?.url == "http://127.0.0.1:8000/v1")
    }

    @Test func missingKeyInProductionIsAStartUpError() {
        let error = #expect(throws: ConfigurationError.self) {
            try Self.load(["responder.llm.url": "https://llm.example.com/v1"])
        }
        #expect(error?.code == .missingSecret)
        #expect(error?.key == "responder.llm.api_key")
    }
}
