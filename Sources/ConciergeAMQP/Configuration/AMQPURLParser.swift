import ConciergeSupport

/// Parses `amqp://user:password@host:port/vhost?heartbeat=10` URLs (RabbitMQ's URI specification) on top of
/// ``ConnectionURL``: user, password and virtual host default to `guest`, `guest` and `/`, the host to `localhost`.
enum AMQPURLParser {
    static func parse(_ url: String) throws -> AMQPConfiguration {
        func invalid(_ detail: String) -> AMQPError {
            AMQPError(.invalidURL, operation: "parse url", detail: detail)
        }
        let parts: ConnectionURL
        do throws(ConnectionURLError) {
            parts = try ConnectionURL(parsing: url, defaultPorts: ["amqp": 5672, "amqps": 5671])
        } catch  where error.code == .unsupportedScheme {
            throw invalid("scheme must be amqp or amqps")
        } catch  where error.part == .path {
            throw invalid("bad percent-encoding in virtual host")
        } catch {
            throw invalid(error.description)
        }
        let useTLS = parts.scheme == "amqps"
        let host = parts.host.isEmpty ? "localhost" : parts.host
        guard !host.contains(where: { $0 == " " || $0 == "@" || $0 == "/" }) else { throw invalid("bad host") }

        var virtualHost = "/"
        if let encodedPath = parts.encodedPath, let path = parts.path, !path.isEmpty {
            guard !encodedPath.contains("/") else {
                throw invalid("virtual host must be percent-encoded (use %2f for '/')")
            }
            virtualHost = path
        }

        var configuration = AMQPConfiguration(
            host: host, port: parts.port, username: parts.user ?? "guest", password: parts.password ?? "guest",
            virtualHost: virtualHost, useTLS: useTLS)
        for item in parts.queryItems {
            let (key, value) = (item.name, item.value)
            switch key {
            case "heartbeat":
                guard let seconds = Int(value), seconds > 0 else {
                    throw invalid("heartbeat must be a positive integer")
                }
                configuration.heartbeat = .seconds(seconds)
            case "connection_timeout":
                guard let millis = Int(value), millis > 0 else { throw invalid("bad connection_timeout") }
                configuration.connectTimeout = .milliseconds(millis)
            case "cacertfile", "certfile", "keyfile":
                guard useTLS else { throw invalid("\(key) needs amqps://") }
                guard !value.isEmpty else { throw invalid("bad \(key)") }
                switch key {
                case "cacertfile": configuration.caCertificatePath = value
                case "certfile": configuration.clientCertificatePath = value
                default: configuration.clientKeyPath = value
                }
            case "verify":
                guard useTLS else { throw invalid("verify needs amqps://") }
                switch value {
                case "verify_peer": configuration.verifyPeer = true
                case "verify_none": configuration.verifyPeer = false
                default: throw invalid("verify must be verify_peer or verify_none")
                }
            default:
                // Rejected, not ignored: a TLS or timing option that silently did nothing would be worse.
                throw invalid(
                    key.isEmpty ? "query parameter without a name" : "unsupported query parameter \(key.prefix(40))")
            }
        }
        guard (configuration.clientCertificatePath == nil) == (configuration.clientKeyPath == nil) else {
            throw invalid("certfile and keyfile go together")
        }
        return configuration
    }
}
