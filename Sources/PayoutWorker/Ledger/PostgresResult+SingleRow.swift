import ConciergePostgres

extension PostgresResult {
    /// The one row a statement must return (an `INSERT … RETURNING`, an aggregate): throws a ``PayoutError`` naming
    /// what was queried when there is none or more than one, instead of trapping. (Main has since gained a public
    /// `PostgresResult.single()` in ConciergePostgres; this one has another name so the two cannot clash, and can give
    /// way to it after the merge.)
    func singleRow(_ what: String = "statement") throws(PayoutError) -> PostgresRow {
        guard self.count == 1, let row = self.first else {
            throw PayoutError(.unexpectedRows, "\(what) returned \(self.count) rows, expected exactly one")
        }
        return row
    }
}
