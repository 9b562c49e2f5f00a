/// One `<option>` of a page's `<select>`: the value posted, the words shown, and whether it starts chosen.
struct SelectOption: Encodable {
    let value: String
    let label: String
    var selected = false
}
