import ConciergeCore
public import ConciergeYAML
import Foundation

/// How payouts are paid: the `settlement` section of `config/payouts.yaml`.
///
/// ```yaml
/// settlement:
///   minimum: { EUR: 2000, GBP: 2000, SEK: 20000 }   # minor units; less is carried to a later run (default 1)
///   debtor:
///     name: "Concierge Payouts Ltd"                  # the paying company, as on its bank accounts
///     accounts:                                      # one account per currency paid from
///       EUR: { iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX" }
/// ```
///
/// Every failure to load it is a ``ConfigurationFileError`` (configuration `settlement`) naming the file and the key.
public struct SettlementSettings: Sendable, Hashable {
    public struct Account: Sendable, Hashable {
        public var iban: IBAN
        public var bic: BIC
    }

    /// Minimum payout per currency in minor units; a currency without one pays any positive amount.
    public var minimums: [String: Int64]
    public var debtorName: String
    public var accounts: [String: Account]

    public init(minimums: [String: Int64], debtorName: String, accounts: [String: Account]) {
        self.minimums = minimums
        self.debtorName = debtorName
        self.accounts = accounts
    }

    /// The minimum for a currency (at least 1 minor unit: nothing that is not positive is ever paid).
    public func minimum(_ currency: String) -> Int64 { max(self.minimums[currency] ?? 1, 1) }

    /// How errors name this section of the file (``ConfigurationFileError/configuration``).
    public static let configuration = "settlement"

    public static func load(path: String) throws(ConfigurationFileError) -> SettlementSettings {
        let (yaml, file) = try ConfigurationFiles.read(path: path, configuration: Self.configuration)
        return try self.parse(yaml, file: file)
    }

    /// The `settlement` section of the YAML text; `file` names it in errors.
    public static func parse(_ yaml: String, file: String = "") throws(ConfigurationFileError) -> SettlementSettings {
        struct AccountEntry: Decodable {
            var iban: String
            var bic: String
        }
        struct Debtor: Decodable {
            var name: String
            var accounts: [String: AccountEntry]
        }
        struct Section: Decodable {
            var minimum: [String: Int64]?
            var debtor: Debtor
        }
        struct File: Decodable {
            var settlement: Section?
        }
        func invalid(_ keyPath: String, _ detail: String) -> ConfigurationFileError {
            ConfigurationFileError(
                .invalidField, configuration: Self.configuration, file: file, keyPath: keyPath, detail)
        }
        let decoded = try ConfigurationYAML.decode(File.self, from: yaml, configuration: Self.configuration, file: file)
        guard let section = decoded.settlement else {
            throw ConfigurationFileError(
                .missingField, configuration: Self.configuration, file: file, keyPath: "settlement",
                "payouts.yaml has no settlement section (minimum, debtor)")
        }
        var minimums: [String: Int64] = [:]
        for (code, amount) in section.minimum ?? [:] {
            guard (try? Currency(code: code)) != nil else {
                throw invalid("settlement.minimum", "minimum: unknown currency \(code.prefix(8))")
            }
            guard amount >= 1 else {
                throw invalid("settlement.minimum.\(code)", "minimum.\(code) must be at least 1 minor unit")
            }
            minimums[code] = amount
        }
        let name = section.debtor.name.trimmingCharacters(in: .whitespaces)
        guard (1...70).contains(name.count) else {
            throw invalid("settlement.debtor.name", "debtor.name must have 1 to 70 characters")
        }
        var accounts: [String: Account] = [:]
        for (code, entry) in section.debtor.accounts {
            guard (try? Currency(code: code)) != nil else {
                throw invalid("settlement.debtor.accounts", "debtor.accounts: unknown currency \(code.prefix(8))")
            }
            do {
                accounts[code] = Account(iban: try IBAN(entry.iban), bic: try BIC(entry.bic))
            } catch {
                throw invalid("settlement.debtor.accounts.\(code)", "debtor.accounts.\(code): \(error.detail)")
            }
        }
        return SettlementSettings(minimums: minimums, debtorName: name, accounts: accounts)
    }
}
