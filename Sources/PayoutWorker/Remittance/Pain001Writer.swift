import ConciergeCore
public import Foundation

/// Writes a run as an ISO 20022 `pain.001.001.03` customer credit transfer initiation: one payment information block
/// per currency, paid from the debtor account configured for that currency.
///
/// - EUR: SEPA credit transfer (service level `SEPA`, charges `SLEV`), the EPC rules: amounts 0.01 to 999,999,999.99,
///   names and references in the EPC's basic Latin character set (`a-z A-Z 0-9 / - ? : ( ) . , ' +` and space:
///   diacritics are removed, `ß` becomes `ss`, anything else becomes a space).
/// - Other currencies (SEK, GBP, …): the same schema without the SEPA service level, charges shared (`SHAR`), amounts
///   with the currency's minor-unit digits.
///
/// Before writing, every transfer is checked (IBAN check digits, BIC format, positive amount within the scheme's
/// limit) and the control sums (per block and in the group header) are computed from integer minor units, so the
/// file's sums equal its transfers exactly. Text is XML-escaped; names are cut to the schema's 70 characters. The
/// shipped schema (`config/schemas/pain.001.001.03.xsd`) validates the output (`xmllint --schema`; see the tests).
public struct Pain001Writer: Sendable {
    public let settings: SettlementSettings

    public init(settings: SettlementSettings) {
        self.settings = settings
    }

    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
    /// The EPC's largest SEPA credit transfer amount, in cents.
    static let sepaMaximumMinor: Int64 = 99_999_999_999

    /// The file for `remittance`; the bank executes it on `executionDate` (default: the run's day, UTC).
    public func xml(_ remittance: Remittance, executionDate: Date? = nil) throws(PayoutError) -> String {
        guard !remittance.transfers.isEmpty else {
            throw PayoutError(.invalidRemittance, "run \(remittance.runID) has no payment instructions")
        }
        let groups = remittance.byCurrency
        var blocks: [String] = []
        var totalCount = 0
        // The group header's control sum adds amounts in different currencies, as ISO 20022 defines it (a check
        // figure, not money): the blocks' sums scaled to the most minor-unit digits among them, added as integers.
        let digits = groups.map(\.currency.minorUnitDigits).max() ?? 2
        var groupSum = Int128(0)
        for (currency, transfers) in groups {
            guard let account = self.settings.accounts[currency.code] else {
                throw PayoutError(
                    .invalidRemittance, "no debtor account for \(currency.code) in settlement.debtor.accounts")
            }
            let sepa = currency == .eur
            for transfer in transfers {
                guard transfer.amount.isPositive else {
                    throw PayoutError(.invalidRemittance, "\(transfer.endToEndID): amount must be positive")
                }
                if sepa, transfer.amount.minorUnits > Self.sepaMaximumMinor {
                    throw PayoutError(.invalidRemittance, "\(transfer.endToEndID): above the SEPA maximum")
                }
                // Re-validated here too, so a Transfer built by hand cannot slip through.
                _ = try IBAN(transfer.iban.value)
                if let bic = transfer.bic { _ = try BIC(bic.value) }
            }
            let sum = Money(minorUnits: try Remittance.controlSum(transfers), currency: currency)
            totalCount += transfers.count
            var scale = Int128(1)
            for _ in 0..<(digits - currency.minorUnitDigits) { scale *= 10 }
            groupSum += Int128(sum.minorUnits) * scale
            var block = """
                    <PmtInf>
                      <PmtInfId>\(Self.escape("\(remittance.runID)-\(currency.code)"))</PmtInfId>
                      <PmtMtd>TRF</PmtMtd>
                      <BtchBookg>true</BtchBookg>
                      <NbOfTxs>\(transfers.count)</NbOfTxs>
                      <CtrlSum>\(sum.decimalString)</CtrlSum>

                """
            if sepa {
                block += "          <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n"
            }
            block += """
                          <ReqdExctnDt>\(Self.date(executionDate ?? remittance.createdAt))</ReqdExctnDt>
                          <Dbtr><Nm>\(Self.escape(Self.cut(Self.text(self.settings.debtorName, sepa: sepa))))</Nm></Dbtr>
                          <DbtrAcct><Id><IBAN>\(account.iban.value)</IBAN></Id><Ccy>\(currency.code)</Ccy></DbtrAcct>
                          <DbtrAgt><FinInstnId><BIC>\(account.bic.value)</BIC></FinInstnId></DbtrAgt>
                          <ChrgBr>\(sepa ? "SLEV" : "SHAR")</ChrgBr>

                """
            for transfer in transfers {
                block += """
                              <CdtTrfTxInf>
                                <PmtId><EndToEndId>\(Self.escape(transfer.endToEndID))</EndToEndId></PmtId>
                                <Amt><InstdAmt Ccy="\(currency.code)">\(transfer.amount.decimalString)</InstdAmt></Amt>

                    """
                if let bic = transfer.bic {
                    block += "              <CdtrAgt><FinInstnId><BIC>\(bic.value)</BIC></FinInstnId></CdtrAgt>\n"
                }
                block += """
                                  <Cdtr><Nm>\(Self.escape(Self.cut(Self.text(transfer.creditorName, sepa: sepa))))</Nm></Cdtr>
                                  <CdtrAcct><Id><IBAN>\(transfer.iban.value)</IBAN></Id></CdtrAcct>
                                  <RmtInf><Ustrd>\(Self.escape(String(Self.text(transfer.reference, sepa: sepa).prefix(140))))</Ustrd></RmtInf>
                                </CdtTrfTxInf>

                    """
            }
            block += "        </PmtInf>\n"
            blocks.append(block)
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="\(Self.namespace)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <CstmrCdtTrfInitn>
                <GrpHdr>
                  <MsgId>\(Self.escape(String(remittance.runID.prefix(35))))</MsgId>
                  <CreDtTm>\(Self.dateTime(remittance.createdAt))</CreDtTm>
                  <NbOfTxs>\(totalCount)</NbOfTxs>
                  <CtrlSum>\(Self.decimal(groupSum, digits: digits))</CtrlSum>
                  <InitgPty><Nm>\(Self.escape(Self.cut(self.settings.debtorName)))</Nm></InitgPty>
                </GrpHdr>

            """ + blocks.joined() + """
                  </CstmrCdtTrfInitn>
                </Document>

                """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 has no control characters but tab, LF and CR; the schema's texts take none.
                if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func cut(_ name: String) -> String { String(name.prefix(70)) }

    /// The EPC's basic Latin set for SEPA texts; other schemes keep the text as it is (escaped for XML).
    static func text(_ text: String, sepa: Bool) -> String {
        guard sepa else { return text }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
        let folded = text.replacingOccurrences(of: "ß", with: "ss").folding(
            options: [.diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        return String(folded.map { allowed.contains($0) ? $0 : " " })
    }

    /// A non-negative integer of `digits` decimals as text: 12345, 2 → `123.45`.
    static func decimal(_ value: Int128, digits: Int) -> String {
        var scale = Int128(1)
        for _ in 0..<digits { scale *= 10 }
        guard digits > 0 else { return String(value) }
        let fraction = String(value % scale)
        return "\(value / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }

    private static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.utc
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.utc
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
