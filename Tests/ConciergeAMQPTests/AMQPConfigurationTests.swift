import ConciergeAMQP
import Testing

@Suite struct AMQPConfigurationTests {
    @Test(arguments: [
        ("amqp://u:p@broker/%2f", "/"),
        ("amqp://u:p@broker/%2F", "/"),
        ("amqp://u:p@broker", "/"),
        ("amqp://u:p@broker/", "/"),
        ("amqp://u:p@broker/prod", "prod"),
        ("amqp://u:p@broker/team%2Fa", "team/a"),
        ("amqp://u:p@broker:1234/v%20h?heartbeat=3", "v h"),
    ])
    func virtualHostIsPercentDecoded(url: String, virtualHost: String) throws {
        #expect(try AMQPConfiguration(url: url).virtualHost == virtualHost)
    }

    @Test func amqpsDefaultsToPort5671WithTLS() throws {
        let configuration = try AMQPConfiguration(url: "amqps://u:p@broker.example/%2f")
        #expect(configuration.port == 5671)
        #expect(configuration.useTLS)
        #expect(configuration.verifyPeer)
        #expect(configuration.caCertificatePath == nil)
    }

    @Test func amqpDefaultsToPort5672WithoutTLS() throws {
        let configuration = try AMQPConfiguration(url: "amqp://broker")
        #expect(configuration.port == 5672)
        #expect(!configuration.useTLS)
        #expect(configuration.host == "broker")
        #expect(configuration.username == "guest")
        #expect(configuration.password == "guest")
    }

    @Test func partsAreParsedAndDecoded() throws {
        let configuration = try AMQPConfiguration(
            url: "amqp://conc%40ierge:p%3Ass%2Fw@10.1.2.3:15672/vh?heartbeat=4&connection_timeout=1500",
            connectionName: "classifier")
        #expect(configuration.username == "conc@ierge")
        #expect(configuration.password == "p:ss/w")
        #expect(configuration.host == "10.1.2.3")
        #expect(configuration.port == 15672)
        #expect(configuration.heartbeat == .seconds(4))
        #expect(configuration.connectTimeout == .milliseconds(1500))
        #expect(configuration.connectionName == "classifier")
    }

    @Test func ipv6HostInBrackets() throws {
        let configuration = try AMQPConfiguration(url: "amqp://u:p@[::1]:5673/%2f")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5673)
    }

    @Test func defaultsMatchTheContract() throws {
        let configuration = try AMQPConfiguration(url: "amqp://broker")
        #expect(configuration.heartbeat == .seconds(10))
        #expect(configuration.connectTimeout == .seconds(5))
        #expect(configuration.connectionName == "concierge")
    }

    @Test(arguments: [
        "http://broker/", "broker:5672", "", "amqp://broker:notaport/", "amqp://broker:70000/",
        "amqp://broker:0", "amqp://broker/a/b", "amqp://broker/%zz", "amqp://[::1/", "amqp://broker?heartbeat=0",
        "amqp://u:p%4@broker", "amqp://broker?cacertfile=/ca.pem", "amqps://broker?verify=sometimes",
        "amqps://broker?certfile=/c.pem", "amqps://broker?frobnicate=1",
    ])
    func badURLsAreRejected(url: String) {
        let error = #expect(throws: AMQPError.self) { try AMQPConfiguration(url: url) }
        #expect(error?.code == .invalidURL)
    }

    /// Found by `scripts/fuzz amqp-url`: a query item with an empty name (`?=`) indexed past the end of its split and
    /// crashed the process reading `AMQP_URL`.
    @Test(arguments: ["amqp://h/?=", "amqp://h?=1", "amqp://h?heartbeat=10&=", "amqps://u:p@[::0]:5671/vh?="])
    func queryItemWithoutANameIsRejectedNotACrash(url: String) {
        let error = #expect(throws: AMQPError.self) { try AMQPConfiguration(url: url) }
        #expect(error?.code == .invalidURL)
        #expect(error?.description.contains("without a name") == true)
    }

    @Test func tlsFilesAndVerificationComeFromTheQuery() throws {
        let configuration = try AMQPConfiguration(
            url: "amqps://u:p@broker/%2f?cacertfile=%2Fetc%2Fca.pem&certfile=/etc/c.pem&keyfile=/etc/c.key")
        #expect(configuration.caCertificatePath == "/etc/ca.pem")
        #expect(configuration.clientCertificatePath == "/etc/c.pem")
        #expect(configuration.clientKeyPath == "/etc/c.key")
        #expect(configuration.verifyPeer)
        #expect(try !AMQPConfiguration(url: "amqps://u:p@broker/%2f?verify=verify_none").verifyPeer)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let configuration = try AMQPConfiguration(url: "amqps://svc:Sup3rS3cret@broker:5671/prod")
        #expect(!configuration.description.contains("Sup3rS3cret"))
        #expect(!String(reflecting: configuration).contains("Sup3rS3cret"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("Sup3rS3cret"))
        #expect(configuration.description.contains("svc@broker:5671"))
    }

    @Test func invalidURLErrorDoesNotEchoThePassword() {
        let error = #expect(throws: AMQPError.self) {
            try AMQPConfiguration(url: "amqp://svc:Sup3rS3cret@broker:badport/")
        }
        #expect(error.map { !"\($0)".contains("Sup3rS3cret") } == true)
        #expect(error.map { !String(reflecting: $0).contains("Sup3rS3cret") } == true)
    }

    @Test func errorDescriptionCarriesCodeOperationAndReply() {
        let error = AMQPError(.channelClosed, operation: "queue.declare", replyCode: 404, replyText: "NOT_FOUND")
        #expect(error.description.contains("channelClosed"))
        #expect(error.description.contains("queue.declare"))
        #expect(error.description.contains("404"))
        #expect(error.code != .connectionClosed)
    }
}

@Suite struct AMQPClusterURLTests {
    @Test func severalURLsNameTheNodesOfOneCluster() throws {
        let configuration = try AMQPConfiguration(
            url: "amqp://u:secret@10.0.0.1:5701/%2f, amqp://u:secret@10.0.0.2:5702/%2f,amqp://u:secret@node3/%2f"
        )
        #expect(configuration.host == "10.0.0.1" && configuration.port == 5701 && configuration.username == "u")
        #expect(configuration.endpoints.map(\.description) == ["10.0.0.1:5701", "10.0.0.2:5702", "node3:5672"])
        #expect(!configuration.description.contains("secret"))
        #expect(configuration.description.contains("also 10.0.0.2:5702, node3:5672"))
    }
}
