# Sources a vendor Tcl script with stub procs for every vendor command, so tclsh checks that it parses and runs
# as plain Tcl, and records the files and interface ports it names. Output lines:
#   FILE <path as the script resolves it>     (add_files, read_verilog, read_xdc, add_fileset_file, VERILOG_FILE, SDC_FILE)
#   PORT <interface> <signal> <direction> <width>   (Platform Designer add_interface_port)
#   usage: tclsh tcl-check.tcl <script> [call...]
set script [file normalize [lindex $argv 0]]
set calls [lrange $argv 1 end]
set fh [open $script]
set text [read $fh]
close $fh
if {![info complete $text]} { puts "INCOMPLETE"; exit 3 }
proc record_files {args} {
  foreach a $args {
    if {[string index $a 0] ne "-" && $a ne "VERILOG" && $a ne "PATH" && $a ne "TOP_LEVEL_FILE" && ([string match *.* $a] || [file isdirectory $a])} { puts "FILE [file normalize $a]" }
  }
}
proc add_files {args} { record_files {*}$args }
proc read_verilog {args} { record_files {*}$args }
proc read_xdc {args} { record_files {*}$args }
proc add_fileset_file {name kind how path args} { puts "FILE [file normalize $path]" }
proc set_global_assignment {args} {
  set i [lsearch $args -name]
  set key [lindex $args [expr {$i + 1}]]
  if {$key in {VERILOG_FILE SDC_FILE SYSTEMVERILOG_FILE}} { puts "FILE [file normalize [lindex $args end]]" }
}
proc add_interface_port {iface signal role dir width} { puts "PORT $iface $signal $dir $width" }
proc unknown {args} { return "" }
rename package tcl_package
proc package {args} { if {[lindex $args 0] eq "require"} { return 1 } ; tcl_package {*}$args }
rename exit tcl_exit
proc exit {args} { return -code return }
set argv {}
set argc 0
cd [file dirname $script]
source $script
foreach c $calls { eval $c }
puts "OK"
