// Keywords are contextual: wherever a name is expected they are names.
stream stream (id string, key string, count int, timestamp time, from string,
               rule string, sliding float, by string, table string, not bool,
               `device-id` string, `and` int, null string, in string)
  id id
  timestamp timestamp

table table (key string, of string) key key, of

feature feature = count(count) of stream[from == "web"] by key, by over sliding 10m

rule rule
  by key, from
  pattern pattern: stream[this.key != "x" and this.not and this.and > 1 and stream.rule == rule]
       -> within: stream[timestamp - pattern.timestamp < 5m and `device-id` == "d" and `not` == true]
       -> not: stream[this.null is null and this.in in ["a", "b"] and key == sliding]
  skip to_first within
  emit { key: key, count: count(pattern), timestamp: table[from].of, to: within.from }
  to to
