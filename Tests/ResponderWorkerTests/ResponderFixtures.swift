import ConciergeCore
import ConciergeIntents
import Foundation
import ResponderWorker

/// Shared test data: the shipped catalog and knowledge base, and small hand-made accounts.
enum ResponderFixtures {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static let catalog = try! IntentCatalog.load(path: root.appendingPathComponent("config/intents.yaml").path)
    static let knowledge = try! KnowledgeBase.load(directory: root.appendingPathComponent("config/knowledge").path)
    static let languages = try! ReplyLanguages.load(directory: root.appendingPathComponent("config/replies").path)
    static let responder = Responder(catalog: catalog, knowledge: knowledge, languages: languages)

    /// A shipped reply language by code (`en`, `de`, `sv`).
    static func language(_ code: String) -> ReplyLanguage { languages[code]! }

    static func eur(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .eur) }
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    /// A pay-in-3 purchase: first instalment paid on the purchase date, two scheduled monthly.
    static func purchase(
        id: String, customer: String, merchant: String, reference: String, amount: Int64, on date: String,
        currency: Currency = .eur
    ) -> Purchase {
        let start = day(date)
        let share = amount / 3
        let planID = "plan_\(id)"
        let instalments = (0..<3).map { index in
            Instalment(
                planID: planID, sequence: index + 1, dueOn: start.adding(months: index),
                amount: Money(minorUnits: share + (index == 0 ? amount % 3 : 0), currency: currency),
                status: index == 0 ? "paid" : "scheduled", paidOn: index == 0 ? start : nil,
                lateFee: Money(minorUnits: 0, currency: currency)
            )
        }
        return Purchase(
            id: id, customerID: customer, merchant: merchant, orderReference: reference,
            amount: Money(minorUnits: amount, currency: currency), purchasedOn: start, status: "active",
            deliveryStatus: "delivered",
            plan: PaymentPlan(id: planID, kind: "pay_in_3", instalments: instalments),
            payments: [
                Payment(
                    id: "pay_\(id)_1", purchaseID: id, instalmentSequence: 1, amount: instalments[0].amount,
                    method: "card",
                    status: "succeeded", failureReason: nil, attemptedOn: start
                )
            ]
        )
    }

    static func routed(
        id: String, customer: String, text: String, intent: String?, language: String = "en",
        conversation: String? = nil,
        route: Route = .ai, channel: String = "chat"
    ) -> RoutedInquiryV1 {
        RoutedInquiryV1(
            messageID: "\(id).routed",
            inquiry: InquiryV1(
                messageID: id, conversationID: conversation, customerID: customer, channel: channel, language: language,
                text: text,
                sentAt: "2026-11-27T10:00:00Z"
            ),
            decision: .init(
                route: route, priority: .normal, intent: intent, confidence: 0.9,
                reasons: intent.map { ["intent:\($0)"] } ?? [],
                sensitive: false, complexity: "routine", skills: ["payments"], language: language, vip: false,
                assignedAgentID: nil
            )
        )
    }
}
