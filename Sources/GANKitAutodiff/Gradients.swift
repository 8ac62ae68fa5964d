import GANKitTensor

extension Autodiff {
    /// Gradients of the scalar (or `seed`-weighted) `output` with respect to each of `inputs`.
    ///
    /// Only the part of the graph between `inputs` and `output` is walked, and each rule is told
    /// which of its inputs lead to a requested gradient, so no work is spent on gradients nobody
    /// asked for (the generator's step computes no weight gradients of the discriminator).
    /// With `createGraph`, the returned gradients are themselves differentiable.
    /// An input that `output` does not depend on gets a zero gradient.
    /// `upstream` is a seed that is itself part of a graph (a backward rule's own upstream
    /// gradient, when a rule is written as the gradient of a composed function).
    public static func gradients(of output: Variable, wrt inputs: [Variable], seed: Tensor? = nil, upstream: Variable? = nil,
                                 createGraph: Bool = false) -> [Variable] {
        let order = topologicalOrder(from: output)
        let targets = Set(inputs.map(ObjectIdentifier.init))
        var relevant = Set<ObjectIdentifier>()
        for node in order where targets.contains(ObjectIdentifier(node)) || node.inputs.contains(where: { relevant.contains(ObjectIdentifier($0)) }) {
            relevant.insert(ObjectIdentifier(node))
        }
        var grads: [ObjectIdentifier: Variable] = [:]
        if relevant.contains(ObjectIdentifier(output)) {
            let seedVariable = upstream ?? Variable(seed ?? Tensor.ones(output.shape))
            precondition(seedVariable.shape == output.shape, "gradient seed \(seedVariable.shape) for output \(output.shape)")
            grads[ObjectIdentifier(output)] = seedVariable
        }
        recording(createGraph) {
            for node in order.reversed() {
                let id = ObjectIdentifier(node)
                guard let backward = node.backward, let upstream = grads[id] else { continue }
                if !targets.contains(id) { grads[id] = nil }  // free intermediate gradients early
                let needed = node.inputs.map { relevant.contains(ObjectIdentifier($0)) }
                guard needed.contains(true) else { continue }
                let parts = backward(upstream, needed)
                for (input, part) in zip(node.inputs, parts) {
                    guard let part, relevant.contains(ObjectIdentifier(input)) else { continue }
                    let key = ObjectIdentifier(input)
                    guard let existing = grads.removeValue(forKey: key) else { grads[key] = part; continue }
                    grads[key] = createGraph ? existing + part : Variable(Self.accumulate(existing, part))
                }
            }
        }
        return inputs.map { grads[ObjectIdentifier($0)] ?? Variable(Tensor.zeros($0.shape)) }
    }

    /// `a + b` of constant gradients, written into `a`'s storage when nothing else holds it.
    private static func accumulate(_ a: consuming Variable, _ b: Variable) -> Tensor {
        guard a.shape == b.shape else { return (a + b).value }
        var total = a.value
        _ = consume a
        total.addScaled(b.value)
        return total
    }

    /// Nodes reachable from `output` that require gradients, inputs before the nodes using them.
    static func topologicalOrder(from output: Variable) -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Int)] = [(output, 0)]
        guard output.requiresGradient else { return [] }
        visited.insert(ObjectIdentifier(output))
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                let child = node.inputs[next]
                if child.requiresGradient, visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
            } else {
                order.append(node)
            }
        }
        return order
    }
}
