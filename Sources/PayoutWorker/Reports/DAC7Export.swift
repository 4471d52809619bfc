public import ConciergePostgres
import Foundation

/// `payouts dac7 --year Y [--quarter Q | --yearly]`: the DAC7 figures from `payouts.dac7_quarterly` as CSV, one row
/// per agent (pseudonym), quarter and currency (or, `--yearly`, from `payouts.dac7_yearly`: one row per agent and
/// currency with the quarters added up), amounts in minor units and decimals. Identities for the filing come from
/// `payouts.agent_identities` (kept out of this file on purpose).
public enum DAC7Export {
    public static let columns = [
        "agent_ref", "year", "quarter", "currency", "consideration_credited_minor", "consideration_credited",
        "consideration_paid_minor", "consideration_paid", "activities", "fees_withheld_minor", "taxes_withheld_minor",
    ]

    public static let yearlyColumns = [
        "agent_ref", "year", "currency", "consideration_credited_minor", "consideration_paid_minor", "activities",
        "fees_withheld_minor", "taxes_withheld_minor", "quarters_with_consideration",
    ]

    /// The year's totals per agent and currency.
    public static func yearlyCSV(year: Int, in transaction: PostgresTransaction) throws -> String {
        var writer = CSVWriter()
        writer.row(self.yearlyColumns)
        for row in try transaction.query(
            """
            SELECT agent_ref, year::text AS year, currency,
                   consideration_credited_minor::text AS consideration_credited_minor,
                   consideration_paid_minor::text AS consideration_paid_minor, activities::text AS activities,
                   fees_withheld_minor::text AS fees_withheld_minor,
                   taxes_withheld_minor::text AS taxes_withheld_minor,
                   quarters_with_consideration::text AS quarters_with_consideration
            FROM payouts.dac7_yearly WHERE year = $1 ORDER BY agent_ref, currency
            """,
            [year]
        ) {
            writer.row(try self.yearlyColumns.map { try row.decode(String.self, named: $0) })
        }
        return writer.text
    }

    public static func csv(year: Int, quarter: Int?, in transaction: PostgresTransaction) throws -> String {
        if let quarter, !(1...4).contains(quarter) {
            throw PayoutError(.invalidPeriod, "quarter must be 1 to 4")
        }
        var writer = CSVWriter()
        writer.row(self.columns)
        for row in try transaction.query(
            """
            SELECT agent_ref, year::text AS year, quarter::text AS quarter, currency,
                   consideration_credited_minor::text AS consideration_credited_minor,
                   consideration_credited::text AS consideration_credited,
                   consideration_paid_minor::text AS consideration_paid_minor,
                   consideration_paid::text AS consideration_paid, activities::text AS activities,
                   fees_withheld_minor::text AS fees_withheld_minor, taxes_withheld_minor::text AS taxes_withheld_minor
            FROM payouts.dac7_quarterly WHERE year = $1 AND ($2::int IS NULL OR quarter = $2::int)
            ORDER BY agent_ref, quarter, currency
            """,
            [year, quarter]
        ) {
            writer.row(try self.columns.map { try row.decode(String.self, named: $0) })
        }
        return writer.text
    }
}
