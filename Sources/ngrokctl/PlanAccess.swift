import NgrokModel
import Reconcile

/// `plan --explain-access IP@HOST`: the before → after access table, added to the plan output.
enum PlanAccess {
    static func render(_ rendered: String, pairs: [AccessChange.Pair], prepared: PreparedPlan, format: PlanRenderer.Format) -> String {
        guard let stack = prepared.loaded.stack else { return rendered }
        let change = AccessChange(stack: stack, live: prepared.live, canonicalCIDR: prepared.session.session.canonicalCIDR)
        let rows = change.rows(pairs)
        switch format {
        case .json:
            guard case .object(var object)? = try? WireValue(jsonText: Array(rendered.utf8)) else { return rendered }
            object["accessChanges"] = .list(rows.map(\.wireValue))
            return WireValue.object(object).serialized(pretty: true) + "\n"
        default:
            return rendered + AccessChange.text(rows)
        }
    }
}
