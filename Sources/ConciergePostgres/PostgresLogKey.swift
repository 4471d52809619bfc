/// Logger metadata keys used by this module, in one place.
enum PostgresLogKey {
    static let host = "db.host"
    static let port = "db.port"
    static let database = "db.name"
    static let user = "db.user"
    static let operation = "db.operation"
    static let sqlState = "db.sqlstate"
    static let errorCode = "db.error_code"
    static let attempt = "db.attempt"
    static let delay = "db.retry_delay_ms"
    static let severity = "db.severity"
    static let notice = "db.notice"
    static let commitOutcome = "db.commit_outcome"
    static let backendPID = "db.backend_pid"
}
