"""HyperLogLog command paths that real elements almost never reach (a register above 32)."""

from fakeredis import FakeRedis, FakeServer
from fakeredis.structures import hll


def test_a_value_above_32_turns_a_sparse_hll_dense(monkeypatch):
    server = FakeServer()
    r = FakeRedis(server=server)
    r.pfadd("h", "a")
    raw_position = hll.position
    monkeypatch.setattr(hll, "position",
                        lambda element: (5, 40) if element == b"lucky" else raw_position(element))
    assert r.pfadd("h", "lucky") == 1
    value = r.get("h")
    assert type(server.dbs[0].data[b"h"]) is bytes
    assert (len(value), value[4], value[15] & 0x80) == (hll.DENSE_SIZE, hll.DENSE, 0x80)
    assert (hll.dense_get(value, 5), hll.dense_get(value, hll.position(b"a")[0])) == (40, 2)
    assert r.pfadd("h", "lucky") == 0
    assert r.execute_command("PFDEBUG", "ENCODING", "h") == b"dense"


def test_pfmerge_keeps_registers_above_32_from_a_dense_source():
    r = FakeRedis(server=FakeServer())
    regs = bytearray(hll.REGISTERS)
    regs[7] = 45
    r.set("big", hll.dense_value(hll.new(), bytes(regs)))
    r.pfadd("d", "a")
    assert r.pfmerge("d", "big")
    value = r.get("d")
    assert (value[4], hll.dense_get(value, 7), hll.dense_get(value, 12711)) == (hll.DENSE, 45, 2)
