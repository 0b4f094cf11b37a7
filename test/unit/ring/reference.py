# Independent reference implementations for the ring unit tests, in Python (arbitrary-precision
# integers, so none of the 32-bit-halves arithmetic of the TypeScript code is shared).
# stdin: {"keys": [...], "nodes": [...], "weights": [...], "vnodes": N}; stdout: JSON results.
import bisect, hashlib, json, math, sys

M = (1 << 64) - 1

class ConsistentHashing:
    """The caching chapter's ring, as printed there (section 10.2)."""
    def __init__(self, nodes, virtual_nodes=150):
        self.virtual_nodes = virtual_nodes
        self.ring = {}
        self.sorted_keys = []
        for node in nodes:
            self.add_node(node)
    def _hash(self, key):
        return int(hashlib.md5(key.encode()).hexdigest(), 16)
    def add_node(self, node):
        for i in range(self.virtual_nodes):
            h = self._hash(f"{node}:{i}")
            self.ring[h] = node
            bisect.insort(self.sorted_keys, h)
    def get_node(self, key):
        h = self._hash(key)
        idx = bisect.bisect_right(self.sorted_keys, h)
        if idx == len(self.sorted_keys):
            idx = 0
        return self.ring[self.sorted_keys[idx]]

def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & M
    return h

def jump(key, n):
    b, j = -1, 0
    while j < n:
        b = j
        key = (key * 2862933555777941757 + 1) & M
        j = int((b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
    return b

def fmix64(x):
    x ^= x >> 33
    x = (x * 0xff51afd7ed558ccd) & M
    x ^= x >> 33
    x = (x * 0xc4ceb9fe1a85ec53) & M
    x ^= x >> 33
    return x

def rendezvous(key, nodes, weights):
    kh = fnv1a64(key.encode())
    best, best_score = 0, -math.inf
    weighted = len(set(weights)) > 1
    for i, node in enumerate(nodes):
        u = ((fmix64(kh ^ fnv1a64(node.encode())) >> 11) + 0.5) / 2.0 ** 53
        score = -weights[i] / math.log(u) if weighted else u
        if score > best_score:
            best, best_score = i, score
    return best

req = json.load(sys.stdin)
keys, nodes, weights = req["keys"], req["nodes"], req["weights"]
ring = ConsistentHashing(nodes, req["vnodes"])
print(json.dumps({
    "vnode": [nodes.index(ring.get_node(k)) for k in keys],
    "fnv": ["%016x" % fnv1a64(k.encode()) for k in keys],
    "jump": [jump(fnv1a64(k.encode()), len(nodes)) for k in keys],
    "rendezvous": [rendezvous(k, nodes, [1] * len(nodes)) for k in keys],
    "rendezvousWeighted": [rendezvous(k, nodes, weights) for k in keys],
}))
