import ConciergePostgres

extension PostgresResult {
    /// The one row a statement must return (an `INSERT … RETURNING`, an aggregate); throws when there is none or
    /// more than one, instead of trapping.
    func single(_ what: String = "statement") throws(PayoutError) -> PostgresRow {
        guard self.count == 1, let row = self.first else {
            throw PayoutError(.unexpectedRows, "\(what) returned \(self.count) rows, expected exactly one")
        }
        return row
    }
}
