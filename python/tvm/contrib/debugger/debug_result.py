# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What a debug run produces: per-node times and outputs, as a table and as files.

Files written under the dump path (TVM's names):
  _tvmdbg_graph_dump.json       the graph, each node with its shape, dtype and mean time (us)
  output_tensors.params         every node output, a parameter dict keyed "<node>____topo-index:<i>____output-num:<k>"
  _tvmdbg_execution_trace.json  a Chrome trace ("traceEvents") of the node times
"""
import json
import os

from ...runtime import params as _params

GRAPH_DUMP = "_tvmdbg_graph_dump.json"
TENSOR_DUMP = "output_tensors.params"
CHROME_TRACE = "_tvmdbg_execution_trace.json"


class DebugResult:
    """The graph (parsed), its nodes' timings (seconds, per repeat) and outputs."""

    def __init__(self, graph_json, dump_path):
        self._dump_path = dump_path
        self._output_tensor_list = []
        self._time_list = []
        graph = json.loads(graph_json)
        self._nodes = graph["nodes"]
        attrs = graph.get("attrs", {})
        shapes = attrs.get("shape", [None, []])[1]
        dtypes = attrs.get("dltype", [None, []])[1]
        row_ptr = graph.get("node_row_ptr")
        if row_ptr is None:
            row_ptr = [0]
            for node in self._nodes:
                row_ptr.append(row_ptr[-1] + self.get_graph_node_output_num(node))
        self._shapes = [shapes[row_ptr[i]:row_ptr[i + 1]] for i in range(len(self._nodes))]
        self._dtypes = [dtypes[row_ptr[i]:row_ptr[i + 1]] for i in range(len(self._nodes))]
        self._graph = graph
        if dump_path is not None:
            self._dump_graph_json()

    def get_graph_nodes(self):
        return self._nodes

    def get_graph_node_shapes(self):
        return self._shapes

    @staticmethod
    def get_graph_node_output_num(node):
        if node["op"] == "null":
            return 1
        return int(node.get("attrs", {}).get("num_outputs", 1))

    def get_graph_node_dtypes(self):
        return self._dtypes

    def update_output_tensors(self, tensors):
        """The outputs of every node in order (one entry per node output)."""
        self._output_tensor_list = list(tensors)

    def get_output_tensors(self):
        """{"<node>____topo-index:<i>____output-num:<k>": NDArray} for every node output."""
        out, pos = {}, 0
        for i, node in enumerate(self._nodes):
            for k in range(self.get_graph_node_output_num(node)):
                if pos < len(self._output_tensor_list):
                    out[f"{node['name']}____topo-index:{i}____output-num:{k}"] = self._output_tensor_list[pos]
                pos += 1
        return out

    def _mean_us(self, i):
        times = self._time_list[i] if i < len(self._time_list) else []
        return 1e6 * sum(times) / len(times) if times else 0.0

    def _dump_graph_json(self):
        nodes = []
        for i, node in enumerate(self._nodes):
            entry = dict(node)
            entry["shape"] = self._shapes[i][0] if self._shapes[i] else []
            entry["attrs"] = dict(node.get("attrs", {}), T=self._dtypes[i][0] if self._dtypes[i] else "")
            if self._time_list:
                entry["time_us"] = self._mean_us(i)
            nodes.append(entry)
        with open(os.path.join(self._dump_path, GRAPH_DUMP), "w") as f:
            json.dump({"nodes": nodes, "arg_nodes": self._graph.get("arg_nodes", []),
                       "heads": self._graph.get("heads", [])}, f, indent=2)

    def dump_output_tensor(self):
        with open(os.path.join(self._dump_path, TENSOR_DUMP), "wb") as f:
            f.write(save_tensors(self.get_output_tensors()))

    def dump_chrome_trace(self):
        events, clock = [], 0.0
        for i, node in enumerate(self._nodes):
            if node["op"] == "null":
                continue
            dur = self._mean_us(i)
            events.append({"name": node["name"], "cat": "op", "ph": "X", "ts": clock, "dur": dur, "pid": 1,
                           "tid": 1, "args": {"func_name": node.get("attrs", {}).get("func_name", "")}})
            clock += dur
        with open(os.path.join(self._dump_path, CHROME_TRACE), "w") as f:
            json.dump({"traceEvents": events, "displayTimeUnit": "ns"}, f)

    def dump_all(self):
        self._dump_graph_json()
        self.dump_output_tensor()
        self.dump_chrome_trace()

    def get_debug_result(self, sort_by_time=True):
        """The per-node table: name, function, time (us and % of the total), shape, inputs, outputs."""
        total = sum(self._mean_us(i) for i in range(len(self._nodes))) or 1.0
        rows = []
        for i, node in enumerate(self._nodes):
            if node["op"] == "null":
                continue
            us = self._mean_us(i)
            times = self._time_list[i] if i < len(self._time_list) else []
            rows.append([node["name"], node.get("attrs", {}).get("func_name", ""), us, 100.0 * us / total,
                         str(tuple(self._shapes[i][0])) if self._shapes[i] else "()", len(node.get("inputs", [])),
                         self.get_graph_node_output_num(node), [round(t * 1e6, 3) for t in times]])
        if sort_by_time:
            rows.sort(key=lambda r: -r[2])
        header = ["Node Name", "Ops", "Time(us)", "Time(%)", "Shape", "Inputs", "Outputs", "Measurements(us)"]
        table = [header] + [[r[0], r[1], f"{r[2]:.3f}", f"{r[3]:.3f}", r[4], str(r[5]), str(r[6]), str(r[7])]
                            for r in rows]
        table.append(["Total_time", "-", f"{total if rows else 0.0:.3f}", "-", "-", "-", "-", "-"])
        widths = [max(len(row[c]) for row in table) for c in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def display_debug_result(self, sort_by_time=True):
        print(self.get_debug_result(sort_by_time))


def save_tensors(params):
    """A parameter dict's bytes (as tvm.runtime.save_param_dict)."""
    return _params.save_param_dict(params)
