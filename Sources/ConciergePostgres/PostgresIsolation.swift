/// The isolation level a transaction begins with.
public enum PostgresIsolation: Sendable, Hashable {
    /// `READ COMMITTED` (PostgreSQL's default): each statement sees what was committed before it began.
    case readCommitted
    /// `REPEATABLE READ`: one snapshot for the whole transaction; concurrent updates of the same rows fail with
    /// 40001 and are retried.
    case repeatableRead
    /// `SERIALIZABLE`: the outcome equals some serial order; conflicts fail with 40001 and are retried.
    case serializable

    var beginStatement: String {
        switch self {
        case .readCommitted: "BEGIN"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
