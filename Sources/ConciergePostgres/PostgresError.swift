/// An error from the PostgreSQL client.
///
/// `description` is safe to log: it holds the error code, the SQLSTATE, the operation and the constraint name, never
/// parameter values or the server's message text (which can quote data). `debugDescription` adds the server's message
/// and detail and is meant for local debugging only.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidURL
            case connectionFailed
            case connectionLost
            case queryFailed
            case serializationFailure
            case deadlockDetected
            case uniqueViolation
            case decodingFailed
            case invalidParameter
            case closed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The connection URL could not be parsed.
        public static let invalidURL = Code(.invalidURL)
        /// A connection could not be established.
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection broke (class 08, 57P01–57P03, or libpq reporting `CONNECTION_BAD`).
        public static let connectionLost = Code(.connectionLost)
        /// The server rejected a statement (any SQLSTATE without a more specific code).
        public static let queryFailed = Code(.queryFailed)
        /// SQLSTATE 40001: the transaction could not be serialized; retrying the whole transaction can succeed.
        public static let serializationFailure = Code(.serializationFailure)
        /// SQLSTATE 40P01: the transaction was chosen as a deadlock victim; retrying it can succeed.
        public static let deadlockDetected = Code(.deadlockDetected)
        /// SQLSTATE 23505: a unique or primary-key constraint was violated (see ``PostgresError/constraint``).
        public static let uniqueViolation = Code(.uniqueViolation)
        /// A column could not be decoded into the requested Swift type (including SQL NULL into a non-optional).
        public static let decodingFailed = Code(.decodingFailed)
        /// A parameter cannot be sent (for example text containing a NUL character, which PostgreSQL cannot store).
        public static let invalidParameter = Code(.invalidParameter)
        /// The connection was closed, or a transaction handle was used outside its transaction.
        public static let closed = Code(.closed)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The server's five-character SQLSTATE, when the server reported one.
    public var sqlState: String?
    /// What was being done: `"connect"`, `"prepare"`, `"execute"`, `"begin"`, `"commit"`, `"rollback"`, `"script"`,
    /// `"decode"`, `"encode"`, `"transaction"`, ...
    public var operation: String
    /// The constraint that was violated, when the server named one.
    public var constraint: String?
    /// The server's (or libpq's) primary message. May quote data: only in `debugDescription`.
    public var serverMessage: String?
    /// The server's detail message. May quote data (e.g. the duplicate key): only in `debugDescription`.
    public var detail: String?
    /// Context that is safe to log, such as a column name and the target type of a failed decode.
    public var context: String?

    /// Creates an error.
    public init(
        code: Code,
        sqlState: String? = nil,
        operation: String,
        constraint: String? = nil,
        serverMessage: String? = nil,
        detail: String? = nil,
        context: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.operation = operation
        self.constraint = constraint
        self.serverMessage = serverMessage
        self.detail = detail
        self.context = context
    }

    /// Whether retrying the whole transaction can succeed: serialization failure (40001) or deadlock (40P01).
    public var isRetryableTransaction: Bool {
        code == .serializationFailure || code == .deadlockDetected
            || sqlState == "40001" || sqlState == "40P01"
    }

    /// Whether the server is out of reach: an established connection broke (class 08, 57P01 admin shutdown, 57P02
    /// crash shutdown, 57P03 cannot connect now, or libpq reporting `CONNECTION_BAD`), or a new connection could not
    /// be made (``Code/connectionFailed``, which is what a reconnect that gave up throws). Either way the work itself
    /// is not at fault: it can succeed once the server is back.
    public var isConnectionLoss: Bool {
        if code == .connectionLost || code == .connectionFailed { return true }
        guard let sqlState else { return false }
        return Self.isConnectionLossState(sqlState)
    }

    /// Whether the data sent can never be stored, whatever is retried: a parameter the client cannot send (text with
    /// a NUL character, ``Code/invalidParameter``) or a server-side data exception (SQLSTATE class 22: 22021 a byte
    /// sequence that is not valid in the encoding, 22P05 a character with no equivalent in it, 22001 text longer
    /// than its column, 22003 a number out of range, 22P02 text that is not a valid value of its type, …).
    /// A message that causes one is bad input, not a transient failure.
    public var isInvalidData: Bool {
        if code == .invalidParameter { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("22")
    }

    static func isConnectionLossState(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }

    /// The code that a SQLSTATE maps to when the connection itself is still fine.
    static func code(forSQLState sqlState: String?) -> Code {
        switch sqlState {
        case "40001": .serializationFailure
        case "40P01": .deadlockDetected
        case "23505": .uniqueViolation
        case let state? where isConnectionLossState(state): .connectionLost
        default: .queryFailed
        }
    }

    public var description: String {
        var text = "PostgresError(code: \(code), operation: \(operation)"
        if let sqlState { text += ", sqlState: \(sqlState)" }
        if let constraint { text += ", constraint: \(constraint)" }
        if let context { text += ", context: \(context)" }
        return text + ")"
    }

    public var debugDescription: String {
        var text = String(description.dropLast())
        if let serverMessage { text += ", message: \(serverMessage)" }
        if let detail { text += ", detail: \(detail)" }
        return text + ")"
    }
}
