// KRL, the Kestrel Rule Language, as its specification (spec/language.md) defines it.
//
// The parser builds no AST itself: patterns/parse.go walks the parse tree.
// Keywords are contextual: wherever a name is expected, `name` accepts any
// keyword, so a field called `id`, `key` or `from` needs no quoting.
// Regenerate with `go generate ./grammar/...` (see generate.go).
grammar KRL;

// ---------------------------------------------------------------- declarations

file
    : decl* EOF
    ;

decl
    : streamDecl
    | tableDecl
    | featureDecl
    | ruleDecl
    ;

streamDecl
    : STREAM name LPAREN fieldDecl (COMMA fieldDecl)* RPAREN streamClause*
    ;

fieldDecl
    : name name // field name, then type name (checked later)
    ;

streamClause
    : ID name           # streamID
    | TIMESTAMP name    # streamTimestamp
    | WATERMARK DURATION # streamWatermark
    | LATENESS DURATION # streamLateness
    ;

tableDecl
    : TABLE name LPAREN fieldDecl (COMMA fieldDecl)* RPAREN KEY nameList
    ;

featureDecl
    : FEATURE name ASSIGN aggregation OF name (LBRACK expr RBRACK)?
      (BY nameList)?
      (OVER window (OFFSET DURATION)?)?
      (EMIT (EVERY DURATION)?)?
    ;

aggregation
    : name LPAREN (expr (COMMA expr)*)? RPAREN
    ;

window
    : kind = (SLIDING | TUMBLING | SESSION) DURATION
    | kind = HOPPING DURATION EVERY DURATION
    ;

ruleDecl
    : RULE name ruleClause*
    ;

ruleClause
    : SEVERITY name           # severityClause
    | BY nameList             # byClause
    | PATTERN pattern         # patternClause
    | WITHIN GAP? DURATION    # withinClause
    | SKIP_ skipStrategy      # skipClause
    | EMIT record             # emitClause
    | TIMEOUT EMIT record     # timeoutClause
    | TO name                 # toClause
    ;

skipStrategy
    : NO_SKIP
    | TO_NEXT
    | PAST_LAST
    | TO_FIRST name
    | TO_LAST name
    ;

record
    : LBRACE (recordField (COMMA recordField)*)? RBRACE
    ;

recordField
    : name COLON expr
    ;

nameList
    : name (COMMA name)*
    ;

// ---------------------------------------------------------------- patterns

pattern
    : element (patternOp element)*
    ;

patternOp
    : ARROW
    | FATARROW
    | SQUIGARROW
    ;

element
    : NOT? step                          # stepElement
    | LPAREN pattern RPAREN quantifier?  # groupElement
    ;

step
    : name COLON name (LBRACK expr RBRACK)? quantifier?
    ;

quantifier
    : (QUESTION | PLUS | STAR | repeat) modifier*
    ;

// {n} {n,} {n,m}. A minus sign is accepted only to report a clear error.
repeat
    : LBRACE lo = bound (COMMA hi = bound?)? RBRACE
    ;

bound
    : MINUS? INT
    ;

modifier
    : GREEDY
    | CONSECUTIVE
    | COMBINATIONS
    | OPTIONAL
    | UNTIL LBRACK expr RBRACK
    ;

// ---------------------------------------------------------------- expressions
// One rule per precedence level, loosest first. Comparisons do not chain.

expr
    : andExpr (OR andExpr)*
    ;

andExpr
    : notExpr (AND notExpr)*
    ;

notExpr
    : NOT notExpr
    | cmpExpr
    ;

cmpExpr
    : addExpr cmpTail?
    ;

cmpTail
    : op = (EQ | NE | LT | LE | GT | GE) addExpr  # compare
    | IN LBRACK expr (COMMA expr)* RBRACK         # inList
    | BETWEEN addExpr AND addExpr                 # between
    | IS NOT? NULL                                # isNull
    ;

addExpr
    : mulExpr ((PLUS | MINUS) mulExpr)*
    ;

mulExpr
    : unaryExpr ((STAR | SLASH | PERCENT) unaryExpr)*
    ;

unaryExpr
    : MINUS unaryExpr
    | postfixExpr
    ;

postfixExpr
    : primary postfix*
    ;

postfix
    : DOT name                           # selector
    | LBRACK expr (COMMA expr)* RBRACK   # index
    ;

primary
    : literal                                       # literalPrimary
    | exprName LPAREN (expr (COMMA expr)*)? RPAREN  # call
    | exprName                                      # namePrimary
    | LPAREN expr RPAREN                            # paren
    ;

literal
    : INT
    | FLOAT
    | STRING
    | DURATION
    | TRUE
    | FALSE
    | NULL
    ;

// ---------------------------------------------------------------- names

// A name where an expression may start: every keyword but the words that
// are operators or literals in expressions (those need `this.f` or backquotes).
exprName
    : IDENT
    | BACKQUOTED
    | STREAM | TABLE | FEATURE | RULE
    | ID | TIMESTAMP | WATERMARK | LATENESS | KEY
    | OF | BY | OVER | OFFSET | EMIT | EVERY
    | SLIDING | TUMBLING | HOPPING | SESSION
    | SEVERITY | PATTERN | WITHIN | GAP | SKIP_ | TIMEOUT | TO
    | NO_SKIP | TO_NEXT | PAST_LAST | TO_FIRST | TO_LAST
    | GREEDY | CONSECUTIVE | COMBINATIONS | OPTIONAL | UNTIL
    ;

// Any name: every keyword is accepted.
name
    : exprName
    | NOT | AND | OR | IN | BETWEEN | IS | NULL | TRUE | FALSE
    ;

// ---------------------------------------------------------------- lexer

STREAM       : 'stream';
TABLE        : 'table';
FEATURE      : 'feature';
RULE         : 'rule';
ID           : 'id';
TIMESTAMP    : 'timestamp';
WATERMARK    : 'watermark';
LATENESS     : 'lateness';
KEY          : 'key';
OF           : 'of';
BY           : 'by';
OVER         : 'over';
OFFSET       : 'offset';
EMIT         : 'emit';
EVERY        : 'every';
SLIDING      : 'sliding';
TUMBLING     : 'tumbling';
HOPPING      : 'hopping';
SESSION      : 'session';
SEVERITY     : 'severity';
PATTERN      : 'pattern';
WITHIN       : 'within';
GAP          : 'gap';
SKIP_        : 'skip';
TIMEOUT      : 'timeout';
TO           : 'to';
NO_SKIP      : 'no_skip';
TO_NEXT      : 'to_next';
PAST_LAST    : 'past_last';
TO_FIRST     : 'to_first';
TO_LAST      : 'to_last';
GREEDY       : 'greedy';
CONSECUTIVE  : 'consecutive';
COMBINATIONS : 'combinations';
OPTIONAL     : 'optional';
UNTIL        : 'until';
NOT          : 'not';
AND          : 'and';
OR           : 'or';
IN           : 'in';
BETWEEN      : 'between';
IS           : 'is';
NULL         : 'null';
TRUE         : 'true';
FALSE        : 'false';

ARROW      : '->';
FATARROW   : '=>';
SQUIGARROW : '~>';
EQ         : '==';
NE         : '!=';
LE         : '<=';
GE         : '>=';
LT         : '<';
GT         : '>';
ASSIGN     : '=';
LPAREN     : '(';
RPAREN     : ')';
LBRACK     : '[';
RBRACK     : ']';
LBRACE     : '{';
RBRACE     : '}';
COMMA      : ',';
COLON      : ':';
DOT        : '.';
QUESTION   : '?';
PLUS       : '+';
MINUS      : '-';
STAR       : '*';
SLASH      : '/';
PERCENT    : '%';

// Order matters where two rules match the same text: 10m is a DURATION,
// 1e6 a FLOAT, and BAD_NUMBER only wins when it matches more (10min, 1h30).
DURATION : DIGITS UNIT (DIGITS UNIT)*;
FLOAT    : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT;
INT      : DIGITS;
STRING   : '"' (ESCAPE | ~["\\\r\n])* '"';
IDENT    : [A-Za-z_] [A-Za-z0-9_]*;
BACKQUOTED : '`' ~[`\r\n]* '`';

LINE_COMMENT  : '//' ~[\r\n]* -> skip;
BLOCK_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'+ '/' -> skip;
WS            : [ \t\r\n\f]+ -> skip;

// Malformed input becomes tokens, not lexer errors, so that the parser's
// caller can say what is wrong in words an analyst understands.
BAD_NUMBER             : DIGITS ('.' DIGITS)? [A-Za-z0-9_]+;
UNTERMINATED_STRING    : '"' (ESCAPE | ~["\\\r\n])* '\\'?;
UNTERMINATED_BACKQUOTE : '`' ~[`\r\n]*;
UNTERMINATED_COMMENT   : '/*' (~'*' | '*'+ ~[*/])* '*'*;
ERROR_CHAR             : .;

fragment DIGITS   : [0-9]+;
fragment UNIT     : 'ms' | 's' | 'm' | 'h' | 'd';
fragment EXPONENT : [eE] [+-]? DIGITS;
fragment ESCAPE   : '\\' ~[\r\n]; // checked by the parser's caller
