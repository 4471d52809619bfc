import ConciergeSupport
import Testing

@Suite struct ConnectionURLTests {
    static let amqp = ["amqp": 5672, "amqps": 5671]
    static let postgres = ["postgres": 5432, "postgresql": 5432]

    @Test func allPartsAreSplitAndDecoded() throws {
        let url = try ConnectionURL(
            parsing:
                "AMQPS://us%40er:p%3Ass%2Fw%20%F0%9F%94%91@broker.example:15671/%2f?heartbeat=10&cacertfile=%2Fetc%2Fca.pem&flag",
            defaultPorts: Self.amqp)
        #expect(url.scheme == "amqps")
        #expect(url.user == "us@er")
        #expect(url.password == "p:ss/w 🔑")
        #expect(url.host == "broker.example")
        #expect(url.port == 15671)
        #expect(url.encodedPath == "%2f")
        #expect(url.path == "/")
        #expect(
            url.queryItems == [
                .init(name: "heartbeat", value: "10"), .init(name: "cacertfile", value: "/etc/ca.pem"),
                .init(name: "flag", value: ""),
            ])
    }

    @Test(arguments: [
        ("amqp://h", 5672), ("amqps://h", 5671), ("postgres://u@h/d", 5432), ("postgresql://u@h/d", 5432),
    ])
    func eachSchemeHasItsDefaultPort(text: String, port: Int) throws {
        let url = try ConnectionURL(parsing: text, defaultPorts: Self.amqp.merging(Self.postgres) { a, _ in a })
        #expect(url.port == port)
    }

    @Test func missingPartsAreNilOrEmpty() throws {
        let bare = try ConnectionURL(parsing: "amqp://", defaultPorts: Self.amqp)
        #expect(bare.user == nil && bare.password == nil && bare.host.isEmpty && bare.encodedPath == nil)
        #expect(bare.path == nil && bare.queryItems.isEmpty)
        let userOnly = try ConnectionURL(parsing: "postgres://alice@db/", defaultPorts: Self.postgres)
        #expect(userOnly.user == "alice" && userOnly.password == nil)
        #expect(userOnly.encodedPath == "" && userOnly.path == "")
        let emptyUser = try ConnectionURL(parsing: "amqp://@h", defaultPorts: Self.amqp)
        #expect(emptyUser.user == "" && emptyUser.password == nil)
    }

    @Test func theLastAtSignEndsTheUserInfoAndTheFirstColonSplitsIt() throws {
        let url = try ConnectionURL(parsing: "postgres://u:p@ss:w@h:6543/d", defaultPorts: Self.postgres)
        #expect(url.user == "u" && url.password == "p@ss:w" && url.host == "h" && url.port == 6543)
    }

    @Test func ipv6HostsAreBracketed() throws {
        let withPort = try ConnectionURL(parsing: "amqp://u:p@[::1]:5673/%2f", defaultPorts: Self.amqp)
        #expect(withPort.host == "::1" && withPort.port == 5673)
        let withoutPort = try ConnectionURL(parsing: "postgres://u@[fe80::1%25eth0]/d", defaultPorts: Self.postgres)
        #expect(withoutPort.host == "fe80::1%25eth0" && withoutPort.port == 5432)
    }

    @Test func theHostIsDecodedAndThePortIsAfterTheLastColon() throws {
        #expect(try ConnectionURL(parsing: "postgres://u@%2Ftmp%2Fpg/d", defaultPorts: Self.postgres).host == "/tmp/pg")
        let url = try ConnectionURL(parsing: "postgres://u@a:b:6000/d", defaultPorts: Self.postgres)
        #expect(url.host == "a:b" && url.port == 6000)
    }

    @Test func aSlashInsideThePathIsKeptEncodedAndDecoded() throws {
        let url = try ConnectionURL(parsing: "amqp://h/team%2Fa/b?x=1", defaultPorts: Self.amqp)
        #expect(url.encodedPath == "team%2Fa/b")
        #expect(url.path == "team/a/b")
    }

    @Test(arguments: [
        ("http://h/", ConnectionURLError(.unsupportedScheme)),
        ("h:5672", ConnectionURLError(.unsupportedScheme)),
        ("", ConnectionURLError(.unsupportedScheme)),
        ("amqp://h:0", ConnectionURLError(.badPort)),
        ("amqp://h:65536", ConnectionURLError(.badPort)),
        ("amqp://h:port", ConnectionURLError(.badPort)),
        ("amqp://h:", ConnectionURLError(.badPort)),
        ("amqp://[::1", ConnectionURLError(.unterminatedIPv6Host)),
        ("amqp://[::1]x", ConnectionURLError(.textAfterIPv6Host)),
        ("amqp://u%zz@h", ConnectionURLError(.badPercentEncoding, part: .user)),
        ("amqp://u:p%4@h", ConnectionURLError(.badPercentEncoding, part: .password)),
        ("amqp://h%g0", ConnectionURLError(.badPercentEncoding, part: .host)),
        ("amqp://h/%zz", ConnectionURLError(.badPercentEncoding, part: .path)),
        ("amqp://h/%C3", ConnectionURLError(.badPercentEncoding, part: .path)),
        ("amqp://h?a=%", ConnectionURLError(.badPercentEncoding, part: .query)),
    ])
    func badURLsAreRejected(text: String, expected: ConnectionURLError) {
        let error = #expect(throws: ConnectionURLError.self) {
            try ConnectionURL(parsing: text, defaultPorts: Self.amqp)
        }
        #expect(error == expected)
    }

    @Test func errorsNeverRepeatTheURL() {
        let error = #expect(throws: ConnectionURLError.self) {
            try ConnectionURL(parsing: "amqp://svc:Sup3rS3cret%@broker/", defaultPorts: Self.amqp)
        }
        #expect(error?.description == "bad percent-encoding in password")
        #expect(error.map { !String(reflecting: $0).contains("Sup3rS3cret") } == true)
    }

    @Test(arguments: [
        ("plain", "plain"), ("%2f", "/"), ("%2F", "/"), ("a+b", "a+b"), ("%41%62", "Ab"), ("", ""),
        ("%e2%82%ac", "€"),
    ])
    func percentDecoding(text: String, decoded: String) {
        #expect(ConnectionURL.percentDecode(text) == decoded)
    }

    @Test(arguments: ["%", "%4", "%zz", "%C3", "%FF%FE"])
    func malformedPercentEncodingIsNil(text: String) {
        #expect(ConnectionURL.percentDecode(text) == nil)
    }
}

@Suite struct HexDigitTests {
    @Test func everyByteHasTheValueOfItsHexDigitOrNone() {
        let digits = Array("0123456789abcdef".utf8)
        let upper = Array("ABCDEF".utf8)
        for byte in UInt8.min...UInt8.max {
            if let index = digits.firstIndex(of: byte) {
                #expect(byte.hexDigitValue == UInt8(index))
            } else if let index = upper.firstIndex(of: byte) {
                #expect(byte.hexDigitValue == UInt8(10 + index))
            } else {
                #expect(byte.hexDigitValue == nil, "\(byte)")
            }
        }
    }
}
