#!/bin/bash
# The independent timing measure tickforge is checked against (a pinned copy of the team's shared script, so a clone
# has it): Yosys 0.23 (Debian 12; scripts/setup.sh installs it) synth_xilinx -family xcup -abc9, whose delays are
# Artix-7 tables (logic only, no routing), then `sta` with the cells' specify blocks. Prints "<ps> <LUTs> <FFs>" for
# the longest register-to-register arrival, as the shared script does, then what its timing cannot see (paths through
# them are not timed: docs/delay-model.md) but its synthesis counts: "<LUT-RAM cells> <RAMB36E2> <RAMB18E2>
# <URAM288> <DSP48E2>". Callers that read three fields are unaffected.
# usage: scripts/yosys-sta.sh RTL_DIR TOP
set -u
dir=$1; top=$2; w=$(mktemp -d)
cat > "$w/s.ys" <<YS
read_verilog $(ls "$dir"/*.v | tr '\n' ' ')
synth_xilinx -family xcup -top $top -flatten -abc9 -noiopad -noclkbuf -run begin:prepare
proc; flatten; tribuf -logic; deminout; opt_expr; opt_clean; check; opt -nodffe -nosdff; opt; wreduce; peepopt; opt_clean; pmux2shiftx; clean
synth_xilinx -family xcup -top $top -flatten -abc9 -noiopad -noclkbuf -run map_dsp:check
tee -o $w/stat.txt stat
write_verilog -noattr $w/synth.v
design -reset
read_verilog -lib -specify +/xilinx/cells_sim.v
read_verilog $w/synth.v
hierarchy -top $top
tee -o $w/sta.txt sta
YS
yosys -q "$w/s.ys" > "$w/log" 2>&1 || { tail -3 "$w/log"; echo "yosys failed"; exit 1; }
ps=$(sed -n "s/.*Latest arrival time in '[^']*' is \([0-9]*\).*/\1/p" "$w/sta.txt" | tail -1)
luts=$(awk '/LUT[1-6] /{s+=$2} END{print s+0}' "$w/stat.txt")
ffs=$(awk '/FD[RSCP]E /{s+=$2} END{print s+0}' "$w/stat.txt")
count() { awk -v re="^ +($1) " '$0 ~ re {s+=$2} END{print s+0}' "$w/stat.txt"; }
lutram=$(count 'RAM[0-9]+[MSDX][0-9]*')
echo "$ps $luts $ffs $lutram $(count RAMB36E2) $(count RAMB18E2) $(count URAM288) $(count DSP48E2)"
rm -rf "$w"
