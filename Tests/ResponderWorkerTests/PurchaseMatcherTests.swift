import ResponderWorker
import Testing

@Suite struct PurchaseMatcherTests {
    let zalandoA = ResponderFixtures.purchase(
        id: "p1", customer: "c", merchant: "Zalando", reference: "ZL-448812", amount: 14997, on: "2026-10-03")
    let zalandoB = ResponderFixtures.purchase(
        id: "p2", customer: "c", merchant: "Zalando", reference: "ZL-500100", amount: 8997, on: "2026-11-01")
    let ikea = ResponderFixtures.purchase(
        id: "p3", customer: "c", merchant: "IKEA", reference: "IK-120034", amount: 60000, on: "2026-09-12")
    var all: [Purchase] { [self.zalandoA, self.zalandoB, self.ikea] }
    let matcher = PurchaseMatcher()

    @Test(arguments: [
        ("was my payment for order ZL-448812 received", ["p1"]),
        ("payment for zl-500100?", ["p2"]),
        ("is order 120034 paid", ["p3"]),
        ("did my IKEA payment go through", ["p3"]),
        ("did the 49.99 payment clear", ["p1"]),  // 14997 / 3 = 4999
        ("i paid €29,99 yesterday", ["p2"]),
        ("my zalando payment of 29.99", ["p2"]),
        ("my zalando payment", ["p1", "p2"]),
        ("Ist meine Zahlung für die IKEA-Bestellung schon angekommen?", ["p3"]),  // not ASCII: the folding path
        ("ZAHLUNG FÜR ZL-500100 ÜBERPRÜFEN", ["p2"]),
    ])
    func findsTheMentionedPurchases(text: String, expected: [String]) {
        guard case .matched(let found) = self.matcher.mention(in: text, purchases: self.all) else {
            Issue.record("no mention found in '\(text)'")
            return
        }
        #expect(found.map(\.id).sorted() == expected)
    }

    @Test(arguments: [
        "did my payment go through", "when is my next instalment", "order 2 of 3 paid?",
        "is the zalandoish style back",  // a shop's name inside a longer word is not a mention
    ])
    func textWithoutAMentionLeavesTheChoiceToTheIntent(text: String) {
        #expect(self.matcher.mention(in: text, purchases: self.all) == .none)
    }

    @Test(arguments: ["my Argos order", "did the 12.34 EUR payment go through", "order 99999999 status"])
    func aMentionThatMatchesNothingIsReported(text: String) {
        #expect(self.matcher.mention(in: text, purchases: self.all) == .matched([]))
    }
}
