import ConciergeYAML
import Foundation
import ResponderWorker
import Testing

@Suite struct KnowledgeBaseTests {
    let knowledge = ResponderFixtures.knowledge

    @Test func readsFrontMatterAndSections() throws {
        let article = try KnowledgeArticle(
            markdown:
                "---\nid: demo\ntitle: \"A demo\"\nintents: [a_b, c]\nlanguage: de\n---\n\n# A demo\n\nLead **text**.\n\n## First\n\n- one\n- two\n",
            file: "demo.md"
        )
        #expect(article.id == "demo")
        #expect(article.title == "A demo")
        #expect(article.intents == ["a_b", "c"])
        #expect(article.language == "de")
        #expect(article.lead == "Lead text.")
        #expect(article.sections.map(\.heading) == ["First"])
        #expect(article.sections.first?.text == "• one\n• two")
        let noFrontMatter = #expect(throws: ConfigurationFileError.self) {
            try KnowledgeArticle(markdown: "# no front matter", file: "x.md")
        }
        #expect(noFrontMatter?.code == .unreadable && noFrontMatter?.configuration == "knowledge base")
        #expect(noFrontMatter?.file == "x.md" && noFrontMatter?.detail == "no front matter (--- … ---)")
        let noTitle = #expect(throws: ConfigurationFileError.self) {
            try KnowledgeArticle(markdown: "---\nid: demo\nlanguage: en\n---\n", file: "demo.md")
        }
        #expect(noTitle?.code == .missingField && noTitle?.file == "demo.md")
        #expect(
            noTitle?.description == "knowledge base: demo.md: front matter needs id, title and language (missing_field)"
        )
    }

    /// A directory of articles fails to load with the article's file named, like every configuration directory.
    @Test func anArticleThatCannotBeReadIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("knowledge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "---\nid: a\ntitle: A\nlanguage: en\n---\n".write(
            to: directory.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        try "no front matter".write(to: directory.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        try "ignored: not an article".write(
            to: directory.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationFileError.self) { try KnowledgeBase.load(directory: directory.path) }
        #expect(error?.file == "b.md" && error?.code == .unreadable)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("b.md"))
        #expect(try KnowledgeBase.load(directory: directory.path).articles.map(\.id) == ["a"])
        let missing = #expect(throws: ConfigurationFileError.self) {
            try KnowledgeBase.load(directory: directory.appendingPathComponent("none").path)
        }
        #expect(missing?.code == .unreadable && missing?.configuration == "knowledge base" && missing?.file == "")
    }

    @Test func loadsEveryShippedArticle() {
        #expect(self.knowledge.articles.count == 43)
        #expect(Set(self.knowledge.articles.map(\.language)) == ["en", "de", "sv"])
    }

    @Test(arguments: [
        ("how do I change the card my instalments are taken from", "en", "change-payment-method"),
        ("how do returns work, I want to send my shoes back", "en", "how-returns-work"),
        ("can I pay off the whole balance early", "en", "pay-early"),
        ("I forgot my password and the two-factor code never arrives", "en", "login-and-2fa"),
        ("why is my spending limit so low", "en", "spending-limits"),
        ("wie kann ich meine Karte ändern", "de", "change-payment-method-de"),
        ("wie funktioniert die Rücksendung", "de", "how-returns-work-de"),
        ("kann ich die Rate verschieben", "de", "extend-due-date-de"),
        ("warum ist mein Ausgabelimit so niedrig", "de", "spending-limits-de"),
        ("ich habe mein Passwort vergessen", "de", "login-and-2fa-de"),
        ("hur byter jag kort för mina delbetalningar", "sv", "change-payment-method-sv"),
        ("hur fungerar en retur, jag vill skicka tillbaka skorna", "sv", "how-returns-work-sv"),
        ("kan jag skjuta upp förfallodagen", "sv", "extend-due-date-sv"),
        ("varför är min köpgräns så låg", "sv", "spending-limits-sv"),
        ("jag har glömt mitt lösenord och koden kommer inte", "sv", "login-and-2fa-sv"),
    ])
    func ranksTheRightArticleFirstWithoutIntentHelp(query: String, language: String, expected: String) throws {
        let hit = try #require(self.knowledge.search(query, language: language).first)
        #expect(hit.article.id == expected)
    }

    @Test func searchesOnlyTheInquirysLanguage() {
        #expect(self.knowledge.search("spending", language: "de").isEmpty)
        #expect(self.knowledge.search("Ausgabelimit", language: "sv").isEmpty)
        #expect(self.knowledge.search("Rücksendung", language: "en").allSatisfy { $0.article.language == "en" })
    }

    @Test func intentBoostBreaksTiesTowardsTheIntentsArticle() throws {
        let plain = try #require(self.knowledge.search("fee", language: "en").first { $0.article.id == "late-fees" })
        let boosted = try #require(
            self.knowledge.search("fee", language: "en", intent: "late_fee").first { $0.article.id == "late-fees" })
        #expect(boosted.score == plain.score + self.knowledge.intentBoost)
    }
}
