/// A checkable value a text states: an amount of money, a calendar date or an order/payment reference. The grounding
/// guard extracts these from an LLM answer and from its sources and compares them in normalised form.
///
/// Recognised forms (case-insensitive; month names and currency words of the reply languages, `StatedValueVocabulary`):
/// - amounts: a number with one or two decimals, or any number next to a currency (`49.99`, `49,99 €`, `€49.99`,
///   `1,249.99 EUR`, `1.249,99 €`, `1 249,99 kr`, `25 euros`, `£12`); a number like `1,500` is read both as 1500
///   and as 1.5; digits grouped by spaces (`1 234,50`) are one number;
/// - dates: ISO `2026-03-03`, `3/3/2026`, `10/11`, `03.03.2026`, `3 March 2026`, `3rd of March`, `March 3, 2026`,
///   `3. März 2026`, `3 mars 2026`, abbreviated months; without a year a date matches that day in any year;
/// - references: a token mixing letters and at least three digits (`ZL-448812`), or a bare number of five or more
///   digits that is neither an amount nor a date (`order 448812`); compared without separators and case.
public enum StatedValue: Sendable, Hashable {
    case amount(StatedAmount)
    case date(StatedDate)
    case reference(String)

    /// Every value `text` states, in order; months and currencies as `vocabulary` (the shipped languages' by default)
    /// names them.
    public static func extract(from text: String, vocabulary: StatedValueVocabulary = .shipped) -> [StatedValue] {
        StatedValueScanner(text, vocabulary: vocabulary).values()
    }
}
