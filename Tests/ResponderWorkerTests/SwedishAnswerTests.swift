import ConciergeCore
import ResponderWorker
import Testing

/// The responder answers in Swedish: account answers from the facts with Swedish money and dates, clarifying
/// questions, how-to answers from Swedish articles, and "that didn't help" in Swedish. `\u{00A0}` is the no-break
/// space Swedish puts in amounts.
@Suite struct SwedishAnswerTests {
    let responder = ResponderFixtures.responder
    let zalando = ResponderFixtures.purchase(
        id: "p1", customer: "c", merchant: "Zalando", reference: "ZL-448812", amount: 14997, on: "2026-10-03")
    let zalandoAgain = ResponderFixtures.purchase(
        id: "p2", customer: "c", merchant: "Zalando", reference: "ZL-500100", amount: 8997, on: "2026-09-01")
    let ellos = ResponderFixtures.purchase(
        id: "p3", customer: "c", merchant: "Ellos", reference: "EL-1001", amount: 374_850, on: "2026-10-15",
        currency: .sek
    )

    func reply(_ outcome: ResponderOutcome) -> ResponderOutcome.Reply? {
        if case .reply(let reply) = outcome { return reply }
        return nil
    }

    func respond(_ text: String, intent: String?, _ purchases: [Purchase], history: ConversationHistory = .init())
        -> ResponderOutcome
    {
        let routed = ResponderFixtures.routed(id: "i1", customer: "c", text: text, intent: intent, language: "sv")
        return self.responder.respond(
            to: routed, facts: CustomerFacts(customerID: "c", purchases: purchases), history: history)
    }

    @Test func paymentStatusInSwedishWithSwedishMoneyAndDates() throws {
        let reply = try #require(
            self.reply(self.respond("har min betalning gått igenom?", intent: "payment_status", [self.zalando])))
        #expect(reply.kind == "answer")
        #expect(
            reply.text
                == "Din betalning på 49,99\u{00A0}€ till Zalando (beställning ZL-448812) den 3 oktober 2026 har tagits emot. Din nästa delbetalning på 49,99\u{00A0}€ förfaller den 3 november 2026."
        )
        #expect(reply.facts.map(\.kind) == ["purchase", "payment", "instalment"])
    }

    @Test func scheduleOverviewInCrownsAndEuros() throws {
        let reply = try #require(
            self.reply(
                self.respond(
                    "hur mycket har jag kvar att betala?", intent: "payment_schedule_overview",
                    [self.zalando, self.ellos])))
        // 3 748,50 kr in three: 1 249,50 kr paid, two open; 149,97 € in three: 49,99 € paid, two open.
        #expect(
            reply.text == """
                Här är dina kommande betalningar:
                • Zalando (beställning ZL-448812): 2 delbetalningar kvar, 99,98\u{00A0}€ totalt; nästa 49,99\u{00A0}€ den 3 november 2026.
                • Ellos (beställning EL-1001): 2 delbetalningar kvar, 2\u{00A0}499,00\u{00A0}kr totalt; nästa 1\u{00A0}249,50\u{00A0}kr den 15 november 2026.
                Totalt kvar att betala: 99,98\u{00A0}€ och 2\u{00A0}499,00\u{00A0}kr.
                """
        )
    }

    @Test func twoMatchingPurchasesGetASwedishClarifyingQuestion() throws {
        let question = try #require(
            self.reply(
                self.respond(
                    "gick min betalning till Zalando igenom", intent: "payment_status",
                    [self.zalando, self.zalandoAgain])))
        #expect(question.kind == "clarification")
        #expect(question.text.hasPrefix("Jag hittade flera köp som kan stämma:\n"))
        #expect(question.text.contains("• Zalando, beställning ZL-448812, 149,97\u{00A0}€, 3 oktober 2026"))
        #expect(question.text.contains("• Zalando, beställning ZL-500100, 89,97\u{00A0}€, 1 september 2026"))
    }

    @Test func howToQuestionsCiteASwedishArticle() throws {
        let reply = try #require(
            self.reply(
                self.respond(
                    "hur byter jag kortet som ni drar mina delbetalningar från?", intent: "change_payment_method",
                    [self.zalando])))
        #expect(reply.articleID == "change-payment-method-sv")
        #expect(reply.text.hasSuffix("Källa: vår hjälpartikel ”Byta betalningsmetod” (change-payment-method-sv)."))
    }

    @Test(arguments: ["det hjälpte inte", "Det stämmer inte!", "fel svar", "fortfarande inte löst"])
    func aSwedishFollowUpSayingTheAnswerDidNotHelpIsHandedOff(text: String) {
        let history = ConversationHistory(replies: [
            .init(inquiryID: "i0", intent: "payment_status", kind: "answer", text: "Din betalning …")
        ])
        guard
            case .handoff(let handoff) = self.respond(text, intent: "payment_status", [self.zalando], history: history)
        else {
            Issue.record("\(text) was answered")
            return
        }
        #expect(handoff.reason == .notHelped)
    }

    /// Every account answer, over a seeded population (the demo's generator, in SEK, EUR and GBP): in Swedish it
    /// decides as in English (answer, clarifying question or the same handoff), states exactly the amounts, dates and
    /// references the English answer states, and leaves no placeholder or English sentence behind.
    @Test(arguments: AccountAnswerer.intents.sorted())
    func everyAccountAnswerInSwedishStatesTheSameFactsAsInEnglish(intent: String) {
        let currencies: [Currency] = [.sek, .eur, .gbp]
        let asOf = CalendarDate(year: 2026, month: 11, day: 20)
        var answered = 0
        for n in 1...150 {
            let customer = "cus_" + String(repeating: "0", count: 4 - String(n).count) + String(n)
            let facts = CustomerFacts(
                customerID: customer,
                purchases: DemoFacts.purchases(customerID: customer, currency: currencies[n % 3], asOf: asOf))
            func outcome(_ language: String) -> ResponderOutcome {
                // A question about a named purchase (the others' answers cover every purchase): its order reference.
                let named =
                    AccountAnswerer.generalUnlessNamed.contains(intent) ? facts.purchases.first?.orderReference : nil
                let routed = ResponderFixtures.routed(
                    id: "\(customer)-\(intent)", customer: customer, text: named ?? "?", intent: intent,
                    language: language
                )
                return self.responder.respond(to: routed, facts: facts, history: .init())
            }
            switch (outcome("en"), outcome("sv")) {
            case (.reply(let english), .reply(let swedish)):
                #expect(swedish.kind == english.kind && swedish.facts == english.facts, "\(customer) \(intent)")
                #expect(
                    Self.counted(StatedValue.extract(from: swedish.text))
                        == Self.counted(StatedValue.extract(from: english.text)),
                    "\(customer) \(intent):\n\(swedish.text)\n\(english.text)")
                #expect(!swedish.text.contains("{") && !swedish.text.contains("}"), "\(swedish.text)")
                for english in ["Your ", "your ", " order ", " the ", "instalment"] {
                    #expect(!swedish.text.contains(english), "\(customer) \(intent): '\(english)' in \(swedish.text)")
                }
                if swedish.kind == "answer" { answered += 1 }
            case (.handoff(let english), .handoff(let swedish)):
                #expect(swedish.reason == english.reason, "\(customer) \(intent)")
            case (let english, let swedish):
                Issue.record("\(customer) \(intent): English \(english), Swedish \(swedish)")
            }
        }
        #expect(answered >= 5, "\(intent): only \(answered) of 150 seeded customers answered")
    }

    static func counted(_ values: [StatedValue]) -> [StatedValue: Int] {
        values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
