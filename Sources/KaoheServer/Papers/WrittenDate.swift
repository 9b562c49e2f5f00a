import KaoheCore

extension CalendarDay {
    /// 成文日期 as GB/T 9704 7.3.5.1 writes it: 二〇二六年十二月五日 (years digit by digit with 〇, months and days
    /// as numbers are read: 十, 十二, 二十一, 三十).
    var written: String {
        let digits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        let year = String(year).compactMap { $0.wholeNumberValue.map { digits[$0] } }.joined()
        func number(_ value: Int) -> String {
            switch value {
            case ..<10: digits[value]
            case 10: "十"
            case 11..<20: "十" + digits[value % 10]
            default: digits[value / 10] + "十" + (value % 10 == 0 ? "" : digits[value % 10])
            }
        }
        return "\(year)年\(number(month))月\(number(day))日"
    }
}
