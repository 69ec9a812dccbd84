// Verilog names traced to DSL names: legalized, unique, deterministic (first come, first served; `x_1` on a clash).
const KEYWORDS = new Set(
  `always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default defparam design
  disable edge else end endcase endconfig endfunction endgenerate endmodule endprimitive endspecify endtable endtask event
  for force forever fork function generate genvar highz0 highz1 if ifnone incdir include initial inout input instance
  integer join large liblist library localparam macromodule medium module nand negedge nmos nor noshowcancelled not
  notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup pulsestyle_onevent
  pulsestyle_ondetect rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared
  showcancelled signed small specify specparam strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1
  tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor
  logic bit byte int shortint longint string ref const var static automatic chandle class enum struct union typedef
  packed void return break continue do foreach import export extends interface modport program property sequence
  assert assume cover bind clocking final inside rand randc super this type unique priority alias`.split(/\s+/),
);

export class Names {
  private readonly used = new Set<string>();

  reserve(...names: string[]): void {
    for (const n of names) this.used.add(n);
  }

  /** A fresh legal identifier derived from `base`. */
  fresh(base: string): string {
    let b = base.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(b)) b = `n_${b}`;
    if (KEYWORDS.has(b)) b = `${b}_v`;
    let name = b;
    for (let i = 1; this.used.has(name); i++) name = `${b}_${i}`;
    this.used.add(name);
    return name;
  }
}
