public import ConciergeYAML

/// The fleet's RabbitMQ users and what each may do on the virtual host, as `config/rabbitmq-users.tsv` lists them:
/// one user per worker kind, the agent app's gateway and KEDA. `scripts/rabbitmq-users` applies the file with
/// `rabbitmqctl`; `conciergectl topology --definitions` writes the same users and permissions into the definitions
/// document (without passwords: those come from the secret store).
///
/// A line is tab-separated: `user <name> <tags|-> <configure> <write> <read>` or
/// `topic <name> <exchange> <write> <read>`; `#` starts a comment line.
public struct RabbitMQUsers: Sendable, Hashable {
    public struct User: Sendable, Hashable {
        public var name: String
        public var tags: [String]
        /// Regular expressions over resource names, as RabbitMQ's `set_permissions` takes them.
        public var configure: String
        public var write: String
        public var read: String
    }

    /// Routing keys a user may publish (`write`) or bind (`read`) with on a topic exchange.
    public struct TopicPermission: Sendable, Hashable {
        public var user: String
        public var exchange: String
        public var write: String
        public var read: String
    }

    public var users: [User]
    public var topicPermissions: [TopicPermission]

    /// How errors name this file (``ConfigurationFileError/configuration``).
    public static let configuration = "rabbitmq users"

    /// The users of the file at `path`.
    ///
    /// - Throws: ``ConfigurationFileError``: `unreadable` when the file cannot be read, else as ``parse(_:file:)``.
    public static func load(path: String) throws(ConfigurationFileError) -> RabbitMQUsers {
        let (text, file) = try ConfigurationFiles.read(path: path, configuration: Self.configuration)
        return try Self.parse(text, file: file)
    }

    /// The users of the file's text; `file` names it in errors.
    ///
    /// - Throws: ``ConfigurationFileError`` with the line: a line that is neither kind or has the wrong number of
    ///   fields (`missing_field`), a user listed twice (`duplicate_name`), a topic permission for a user not listed
    ///   above it (`inconsistent`).
    public static func parse(_ text: String, file: String = "") throws(ConfigurationFileError) -> RabbitMQUsers {
        func failure(_ code: ConfigurationFileError.Code, line: Int, _ detail: String) -> ConfigurationFileError {
            ConfigurationFileError(code, configuration: Self.configuration, file: file, line: line, detail)
        }
        var parsed = RabbitMQUsers(users: [], topicPermissions: [])
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "user" where fields.count == 6:
                guard !parsed.users.contains(where: { $0.name == fields[1] }) else {
                    throw failure(.duplicateName, line: index + 1, "user \(fields[1]) listed twice")
                }
                parsed.users.append(
                    User(
                        name: fields[1], tags: fields[2] == "-" ? [] : fields[2].split(separator: ",").map(String.init),
                        configure: fields[3], write: fields[4], read: fields[5]
                    )
                )
            case "topic" where fields.count == 5:
                guard parsed.users.contains(where: { $0.name == fields[1] }) else {
                    throw failure(
                        .inconsistent, line: index + 1,
                        "topic permission for \(fields[1]), who is not listed as a user above")
                }
                parsed.topicPermissions.append(
                    TopicPermission(user: fields[1], exchange: fields[2], write: fields[3], read: fields[4]))
            default:
                throw failure(
                    .missingField, line: index + 1, "expected 'user' and 5 tab-separated fields or 'topic' and 4")
            }
        }
        return parsed
    }

    public func user(_ name: String) -> User? { self.users.first { $0.name == name } }
}
