// Code generated from KRL.g4 by antlr-ng. DO NOT EDIT.

package grammar // KRL
import (
	"fmt"
	"strconv"
	"sync"

	"github.com/antlr4-go/antlr/v4"
)

// Suppress unused import errors
var _ = fmt.Printf
var _ = strconv.Itoa
var _ = sync.Once{}

type KRLParser struct {
	*antlr.BaseParser
}

var KRLParserStaticData struct {
	once                   sync.Once
	serializedATN          []int32
	LiteralNames           []string
	SymbolicNames          []string
	RuleNames              []string
	PredictionContextCache *antlr.PredictionContextCache
	atn                    *antlr.ATN
	decisionToDFA          []*antlr.DFA
}

func krlParserInit() {
	staticData := &KRLParserStaticData
	staticData.LiteralNames = []string{
		"", "'stream'", "'table'", "'feature'", "'rule'", "'id'", "'timestamp'",
		"'watermark'", "'lateness'", "'key'", "'of'", "'by'", "'over'", "'offset'",
		"'emit'", "'every'", "'sliding'", "'tumbling'", "'hopping'", "'session'",
		"'severity'", "'pattern'", "'within'", "'gap'", "'skip'", "'timeout'",
		"'to'", "'no_skip'", "'to_next'", "'past_last'", "'to_first'", "'to_last'",
		"'greedy'", "'consecutive'", "'combinations'", "'optional'", "'until'",
		"'not'", "'and'", "'or'", "'in'", "'between'", "'is'", "'null'", "'true'",
		"'false'", "'->'", "'=>'", "'~>'", "'=='", "'!='", "'<='", "'>='", "'<'",
		"'>'", "'='", "'('", "')'", "'['", "']'", "'{'", "'}'", "','", "':'",
		"'.'", "'?'", "'+'", "'-'", "'*'", "'/'", "'%'",
	}
	staticData.SymbolicNames = []string{
		"", "STREAM", "TABLE", "FEATURE", "RULE", "ID", "TIMESTAMP", "WATERMARK",
		"LATENESS", "KEY", "OF", "BY", "OVER", "OFFSET", "EMIT", "EVERY", "SLIDING",
		"TUMBLING", "HOPPING", "SESSION", "SEVERITY", "PATTERN", "WITHIN", "GAP",
		"SKIP_", "TIMEOUT", "TO", "NO_SKIP", "TO_NEXT", "PAST_LAST", "TO_FIRST",
		"TO_LAST", "GREEDY", "CONSECUTIVE", "COMBINATIONS", "OPTIONAL", "UNTIL",
		"NOT", "AND", "OR", "IN", "BETWEEN", "IS", "NULL", "TRUE", "FALSE",
		"ARROW", "FATARROW", "SQUIGARROW", "EQ", "NE", "LE", "GE", "LT", "GT",
		"ASSIGN", "LPAREN", "RPAREN", "LBRACK", "RBRACK", "LBRACE", "RBRACE",
		"COMMA", "COLON", "DOT", "QUESTION", "PLUS", "MINUS", "STAR", "SLASH",
		"PERCENT", "DURATION", "FLOAT", "INT", "STRING", "IDENT", "BACKQUOTED",
		"LINE_COMMENT", "BLOCK_COMMENT", "WS", "BAD_NUMBER", "UNTERMINATED_STRING",
		"UNTERMINATED_BACKQUOTE", "UNTERMINATED_COMMENT", "ERROR_CHAR",
	}
	staticData.RuleNames = []string{
		"file", "decl", "streamDecl", "fieldDecl", "streamClause", "tableDecl",
		"featureDecl", "aggregation", "window", "ruleDecl", "ruleClause", "skipStrategy",
		"record", "recordField", "nameList", "pattern", "patternOp", "element",
		"step", "quantifier", "repeat", "bound", "modifier", "expr", "andExpr",
		"notExpr", "cmpExpr", "cmpTail", "addExpr", "mulExpr", "unaryExpr",
		"postfixExpr", "postfix", "primary", "literal", "exprName", "name",
	}
	staticData.PredictionContextCache = antlr.NewPredictionContextCache()
	staticData.serializedATN = []int32{
		4, 1, 84, 457, 2, 0, 7, 0, 2, 1, 7, 1, 2, 2, 7, 2, 2, 3, 7, 3, 2, 4, 7,
		4, 2, 5, 7, 5, 2, 6, 7, 6, 2, 7, 7, 7, 2, 8, 7, 8, 2, 9, 7, 9, 2, 10, 7,
		10, 2, 11, 7, 11, 2, 12, 7, 12, 2, 13, 7, 13, 2, 14, 7, 14, 2, 15, 7, 15,
		2, 16, 7, 16, 2, 17, 7, 17, 2, 18, 7, 18, 2, 19, 7, 19, 2, 20, 7, 20, 2,
		21, 7, 21, 2, 22, 7, 22, 2, 23, 7, 23, 2, 24, 7, 24, 2, 25, 7, 25, 2, 26,
		7, 26, 2, 27, 7, 27, 2, 28, 7, 28, 2, 29, 7, 29, 2, 30, 7, 30, 2, 31, 7,
		31, 2, 32, 7, 32, 2, 33, 7, 33, 2, 34, 7, 34, 2, 35, 7, 35, 2, 36, 7, 36,
		1, 0, 5, 0, 76, 8, 0, 10, 0, 12, 0, 79, 9, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1,
		1, 1, 1, 3, 1, 87, 8, 1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 5, 2, 95,
		8, 2, 10, 2, 12, 2, 98, 9, 2, 1, 2, 1, 2, 5, 2, 102, 8, 2, 10, 2, 12, 2,
		105, 9, 2, 1, 3, 1, 3, 1, 3, 1, 4, 1, 4, 1, 4, 1, 4, 1, 4, 1, 4, 1, 4,
		1, 4, 3, 4, 118, 8, 4, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 5, 5, 126, 8,
		5, 10, 5, 12, 5, 129, 9, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 6, 1, 6, 1, 6, 1,
		6, 1, 6, 1, 6, 1, 6, 1, 6, 1, 6, 1, 6, 3, 6, 145, 8, 6, 1, 6, 1, 6, 3,
		6, 149, 8, 6, 1, 6, 1, 6, 1, 6, 1, 6, 3, 6, 155, 8, 6, 3, 6, 157, 8, 6,
		1, 6, 1, 6, 1, 6, 3, 6, 162, 8, 6, 3, 6, 164, 8, 6, 1, 7, 1, 7, 1, 7, 1,
		7, 1, 7, 5, 7, 171, 8, 7, 10, 7, 12, 7, 174, 9, 7, 3, 7, 176, 8, 7, 1,
		7, 1, 7, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 3, 8, 186, 8, 8, 1, 9, 1,
		9, 1, 9, 5, 9, 191, 8, 9, 10, 9, 12, 9, 194, 9, 9, 1, 10, 1, 10, 1, 10,
		1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 3, 10, 204, 8, 10, 1, 10, 1, 10, 1,
		10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 3, 10, 216, 8, 10,
		1, 11, 1, 11, 1, 11, 1, 11, 1, 11, 1, 11, 1, 11, 3, 11, 225, 8, 11, 1,
		12, 1, 12, 1, 12, 1, 12, 5, 12, 231, 8, 12, 10, 12, 12, 12, 234, 9, 12,
		3, 12, 236, 8, 12, 1, 12, 1, 12, 1, 13, 1, 13, 1, 13, 1, 13, 1, 14, 1,
		14, 1, 14, 5, 14, 247, 8, 14, 10, 14, 12, 14, 250, 9, 14, 1, 15, 1, 15,
		1, 15, 1, 15, 5, 15, 256, 8, 15, 10, 15, 12, 15, 259, 9, 15, 1, 16, 1,
		16, 1, 17, 3, 17, 264, 8, 17, 1, 17, 1, 17, 1, 17, 1, 17, 1, 17, 3, 17,
		271, 8, 17, 3, 17, 273, 8, 17, 1, 18, 1, 18, 1, 18, 1, 18, 1, 18, 1, 18,
		1, 18, 3, 18, 282, 8, 18, 1, 18, 3, 18, 285, 8, 18, 1, 19, 1, 19, 1, 19,
		1, 19, 3, 19, 291, 8, 19, 1, 19, 5, 19, 294, 8, 19, 10, 19, 12, 19, 297,
		9, 19, 1, 20, 1, 20, 1, 20, 1, 20, 3, 20, 303, 8, 20, 3, 20, 305, 8, 20,
		1, 20, 1, 20, 1, 21, 3, 21, 310, 8, 21, 1, 21, 1, 21, 1, 22, 1, 22, 1,
		22, 1, 22, 1, 22, 1, 22, 1, 22, 1, 22, 1, 22, 3, 22, 323, 8, 22, 1, 23,
		1, 23, 1, 23, 5, 23, 328, 8, 23, 10, 23, 12, 23, 331, 9, 23, 1, 24, 1,
		24, 1, 24, 5, 24, 336, 8, 24, 10, 24, 12, 24, 339, 9, 24, 1, 25, 1, 25,
		1, 25, 3, 25, 344, 8, 25, 1, 26, 1, 26, 3, 26, 348, 8, 26, 1, 27, 1, 27,
		1, 27, 1, 27, 1, 27, 1, 27, 1, 27, 5, 27, 357, 8, 27, 10, 27, 12, 27, 360,
		9, 27, 1, 27, 1, 27, 1, 27, 1, 27, 1, 27, 1, 27, 1, 27, 1, 27, 1, 27, 3,
		27, 371, 8, 27, 1, 27, 3, 27, 374, 8, 27, 1, 28, 1, 28, 1, 28, 5, 28, 379,
		8, 28, 10, 28, 12, 28, 382, 9, 28, 1, 29, 1, 29, 1, 29, 5, 29, 387, 8,
		29, 10, 29, 12, 29, 390, 9, 29, 1, 30, 1, 30, 1, 30, 3, 30, 395, 8, 30,
		1, 31, 1, 31, 5, 31, 399, 8, 31, 10, 31, 12, 31, 402, 9, 31, 1, 32, 1,
		32, 1, 32, 1, 32, 1, 32, 1, 32, 5, 32, 410, 8, 32, 10, 32, 12, 32, 413,
		9, 32, 1, 32, 1, 32, 3, 32, 417, 8, 32, 1, 33, 1, 33, 1, 33, 1, 33, 1,
		33, 1, 33, 5, 33, 425, 8, 33, 10, 33, 12, 33, 428, 9, 33, 3, 33, 430, 8,
		33, 1, 33, 1, 33, 1, 33, 1, 33, 1, 33, 1, 33, 1, 33, 3, 33, 439, 8, 33,
		1, 34, 1, 34, 1, 35, 1, 35, 1, 36, 1, 36, 1, 36, 1, 36, 1, 36, 1, 36, 1,
		36, 1, 36, 1, 36, 1, 36, 3, 36, 455, 8, 36, 1, 36, 0, 0, 37, 0, 2, 4, 6,
		8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42,
		44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 0, 7, 2, 0,
		16, 17, 19, 19, 1, 0, 46, 48, 1, 0, 49, 54, 1, 0, 66, 67, 1, 0, 68, 70,
		2, 0, 43, 45, 71, 74, 2, 0, 1, 36, 75, 76, 500, 0, 77, 1, 0, 0, 0, 2, 86,
		1, 0, 0, 0, 4, 88, 1, 0, 0, 0, 6, 106, 1, 0, 0, 0, 8, 117, 1, 0, 0, 0,
		10, 119, 1, 0, 0, 0, 12, 134, 1, 0, 0, 0, 14, 165, 1, 0, 0, 0, 16, 185,
		1, 0, 0, 0, 18, 187, 1, 0, 0, 0, 20, 215, 1, 0, 0, 0, 22, 224, 1, 0, 0,
		0, 24, 226, 1, 0, 0, 0, 26, 239, 1, 0, 0, 0, 28, 243, 1, 0, 0, 0, 30, 251,
		1, 0, 0, 0, 32, 260, 1, 0, 0, 0, 34, 272, 1, 0, 0, 0, 36, 274, 1, 0, 0,
		0, 38, 290, 1, 0, 0, 0, 40, 298, 1, 0, 0, 0, 42, 309, 1, 0, 0, 0, 44, 322,
		1, 0, 0, 0, 46, 324, 1, 0, 0, 0, 48, 332, 1, 0, 0, 0, 50, 343, 1, 0, 0,
		0, 52, 345, 1, 0, 0, 0, 54, 373, 1, 0, 0, 0, 56, 375, 1, 0, 0, 0, 58, 383,
		1, 0, 0, 0, 60, 394, 1, 0, 0, 0, 62, 396, 1, 0, 0, 0, 64, 416, 1, 0, 0,
		0, 66, 438, 1, 0, 0, 0, 68, 440, 1, 0, 0, 0, 70, 442, 1, 0, 0, 0, 72, 454,
		1, 0, 0, 0, 74, 76, 3, 2, 1, 0, 75, 74, 1, 0, 0, 0, 76, 79, 1, 0, 0, 0,
		77, 75, 1, 0, 0, 0, 77, 78, 1, 0, 0, 0, 78, 80, 1, 0, 0, 0, 79, 77, 1,
		0, 0, 0, 80, 81, 5, 0, 0, 1, 81, 1, 1, 0, 0, 0, 82, 87, 3, 4, 2, 0, 83,
		87, 3, 10, 5, 0, 84, 87, 3, 12, 6, 0, 85, 87, 3, 18, 9, 0, 86, 82, 1, 0,
		0, 0, 86, 83, 1, 0, 0, 0, 86, 84, 1, 0, 0, 0, 86, 85, 1, 0, 0, 0, 87, 3,
		1, 0, 0, 0, 88, 89, 5, 1, 0, 0, 89, 90, 3, 72, 36, 0, 90, 91, 5, 56, 0,
		0, 91, 96, 3, 6, 3, 0, 92, 93, 5, 62, 0, 0, 93, 95, 3, 6, 3, 0, 94, 92,
		1, 0, 0, 0, 95, 98, 1, 0, 0, 0, 96, 94, 1, 0, 0, 0, 96, 97, 1, 0, 0, 0,
		97, 99, 1, 0, 0, 0, 98, 96, 1, 0, 0, 0, 99, 103, 5, 57, 0, 0, 100, 102,
		3, 8, 4, 0, 101, 100, 1, 0, 0, 0, 102, 105, 1, 0, 0, 0, 103, 101, 1, 0,
		0, 0, 103, 104, 1, 0, 0, 0, 104, 5, 1, 0, 0, 0, 105, 103, 1, 0, 0, 0, 106,
		107, 3, 72, 36, 0, 107, 108, 3, 72, 36, 0, 108, 7, 1, 0, 0, 0, 109, 110,
		5, 5, 0, 0, 110, 118, 3, 72, 36, 0, 111, 112, 5, 6, 0, 0, 112, 118, 3,
		72, 36, 0, 113, 114, 5, 7, 0, 0, 114, 118, 5, 71, 0, 0, 115, 116, 5, 8,
		0, 0, 116, 118, 5, 71, 0, 0, 117, 109, 1, 0, 0, 0, 117, 111, 1, 0, 0, 0,
		117, 113, 1, 0, 0, 0, 117, 115, 1, 0, 0, 0, 118, 9, 1, 0, 0, 0, 119, 120,
		5, 2, 0, 0, 120, 121, 3, 72, 36, 0, 121, 122, 5, 56, 0, 0, 122, 127, 3,
		6, 3, 0, 123, 124, 5, 62, 0, 0, 124, 126, 3, 6, 3, 0, 125, 123, 1, 0, 0,
		0, 126, 129, 1, 0, 0, 0, 127, 125, 1, 0, 0, 0, 127, 128, 1, 0, 0, 0, 128,
		130, 1, 0, 0, 0, 129, 127, 1, 0, 0, 0, 130, 131, 5, 57, 0, 0, 131, 132,
		5, 9, 0, 0, 132, 133, 3, 28, 14, 0, 133, 11, 1, 0, 0, 0, 134, 135, 5, 3,
		0, 0, 135, 136, 3, 72, 36, 0, 136, 137, 5, 55, 0, 0, 137, 138, 3, 14, 7,
		0, 138, 139, 5, 10, 0, 0, 139, 144, 3, 72, 36, 0, 140, 141, 5, 58, 0, 0,
		141, 142, 3, 46, 23, 0, 142, 143, 5, 59, 0, 0, 143, 145, 1, 0, 0, 0, 144,
		140, 1, 0, 0, 0, 144, 145, 1, 0, 0, 0, 145, 148, 1, 0, 0, 0, 146, 147,
		5, 11, 0, 0, 147, 149, 3, 28, 14, 0, 148, 146, 1, 0, 0, 0, 148, 149, 1,
		0, 0, 0, 149, 156, 1, 0, 0, 0, 150, 151, 5, 12, 0, 0, 151, 154, 3, 16,
		8, 0, 152, 153, 5, 13, 0, 0, 153, 155, 5, 71, 0, 0, 154, 152, 1, 0, 0,
		0, 154, 155, 1, 0, 0, 0, 155, 157, 1, 0, 0, 0, 156, 150, 1, 0, 0, 0, 156,
		157, 1, 0, 0, 0, 157, 163, 1, 0, 0, 0, 158, 161, 5, 14, 0, 0, 159, 160,
		5, 15, 0, 0, 160, 162, 5, 71, 0, 0, 161, 159, 1, 0, 0, 0, 161, 162, 1,
		0, 0, 0, 162, 164, 1, 0, 0, 0, 163, 158, 1, 0, 0, 0, 163, 164, 1, 0, 0,
		0, 164, 13, 1, 0, 0, 0, 165, 166, 3, 72, 36, 0, 166, 175, 5, 56, 0, 0,
		167, 172, 3, 46, 23, 0, 168, 169, 5, 62, 0, 0, 169, 171, 3, 46, 23, 0,
		170, 168, 1, 0, 0, 0, 171, 174, 1, 0, 0, 0, 172, 170, 1, 0, 0, 0, 172,
		173, 1, 0, 0, 0, 173, 176, 1, 0, 0, 0, 174, 172, 1, 0, 0, 0, 175, 167,
		1, 0, 0, 0, 175, 176, 1, 0, 0, 0, 176, 177, 1, 0, 0, 0, 177, 178, 5, 57,
		0, 0, 178, 15, 1, 0, 0, 0, 179, 180, 7, 0, 0, 0, 180, 186, 5, 71, 0, 0,
		181, 182, 5, 18, 0, 0, 182, 183, 5, 71, 0, 0, 183, 184, 5, 15, 0, 0, 184,
		186, 5, 71, 0, 0, 185, 179, 1, 0, 0, 0, 185, 181, 1, 0, 0, 0, 186, 17,
		1, 0, 0, 0, 187, 188, 5, 4, 0, 0, 188, 192, 3, 72, 36, 0, 189, 191, 3,
		20, 10, 0, 190, 189, 1, 0, 0, 0, 191, 194, 1, 0, 0, 0, 192, 190, 1, 0,
		0, 0, 192, 193, 1, 0, 0, 0, 193, 19, 1, 0, 0, 0, 194, 192, 1, 0, 0, 0,
		195, 196, 5, 20, 0, 0, 196, 216, 3, 72, 36, 0, 197, 198, 5, 11, 0, 0, 198,
		216, 3, 28, 14, 0, 199, 200, 5, 21, 0, 0, 200, 216, 3, 30, 15, 0, 201,
		203, 5, 22, 0, 0, 202, 204, 5, 23, 0, 0, 203, 202, 1, 0, 0, 0, 203, 204,
		1, 0, 0, 0, 204, 205, 1, 0, 0, 0, 205, 216, 5, 71, 0, 0, 206, 207, 5, 24,
		0, 0, 207, 216, 3, 22, 11, 0, 208, 209, 5, 14, 0, 0, 209, 216, 3, 24, 12,
		0, 210, 211, 5, 25, 0, 0, 211, 212, 5, 14, 0, 0, 212, 216, 3, 24, 12, 0,
		213, 214, 5, 26, 0, 0, 214, 216, 3, 72, 36, 0, 215, 195, 1, 0, 0, 0, 215,
		197, 1, 0, 0, 0, 215, 199, 1, 0, 0, 0, 215, 201, 1, 0, 0, 0, 215, 206,
		1, 0, 0, 0, 215, 208, 1, 0, 0, 0, 215, 210, 1, 0, 0, 0, 215, 213, 1, 0,
		0, 0, 216, 21, 1, 0, 0, 0, 217, 225, 5, 27, 0, 0, 218, 225, 5, 28, 0, 0,
		219, 225, 5, 29, 0, 0, 220, 221, 5, 30, 0, 0, 221, 225, 3, 72, 36, 0, 222,
		223, 5, 31, 0, 0, 223, 225, 3, 72, 36, 0, 224, 217, 1, 0, 0, 0, 224, 218,
		1, 0, 0, 0, 224, 219, 1, 0, 0, 0, 224, 220, 1, 0, 0, 0, 224, 222, 1, 0,
		0, 0, 225, 23, 1, 0, 0, 0, 226, 235, 5, 60, 0, 0, 227, 232, 3, 26, 13,
		0, 228, 229, 5, 62, 0, 0, 229, 231, 3, 26, 13, 0, 230, 228, 1, 0, 0, 0,
		231, 234, 1, 0, 0, 0, 232, 230, 1, 0, 0, 0, 232, 233, 1, 0, 0, 0, 233,
		236, 1, 0, 0, 0, 234, 232, 1, 0, 0, 0, 235, 227, 1, 0, 0, 0, 235, 236,
		1, 0, 0, 0, 236, 237, 1, 0, 0, 0, 237, 238, 5, 61, 0, 0, 238, 25, 1, 0,
		0, 0, 239, 240, 3, 72, 36, 0, 240, 241, 5, 63, 0, 0, 241, 242, 3, 46, 23,
		0, 242, 27, 1, 0, 0, 0, 243, 248, 3, 72, 36, 0, 244, 245, 5, 62, 0, 0,
		245, 247, 3, 72, 36, 0, 246, 244, 1, 0, 0, 0, 247, 250, 1, 0, 0, 0, 248,
		246, 1, 0, 0, 0, 248, 249, 1, 0, 0, 0, 249, 29, 1, 0, 0, 0, 250, 248, 1,
		0, 0, 0, 251, 257, 3, 34, 17, 0, 252, 253, 3, 32, 16, 0, 253, 254, 3, 34,
		17, 0, 254, 256, 1, 0, 0, 0, 255, 252, 1, 0, 0, 0, 256, 259, 1, 0, 0, 0,
		257, 255, 1, 0, 0, 0, 257, 258, 1, 0, 0, 0, 258, 31, 1, 0, 0, 0, 259, 257,
		1, 0, 0, 0, 260, 261, 7, 1, 0, 0, 261, 33, 1, 0, 0, 0, 262, 264, 5, 37,
		0, 0, 263, 262, 1, 0, 0, 0, 263, 264, 1, 0, 0, 0, 264, 265, 1, 0, 0, 0,
		265, 273, 3, 36, 18, 0, 266, 267, 5, 56, 0, 0, 267, 268, 3, 30, 15, 0,
		268, 270, 5, 57, 0, 0, 269, 271, 3, 38, 19, 0, 270, 269, 1, 0, 0, 0, 270,
		271, 1, 0, 0, 0, 271, 273, 1, 0, 0, 0, 272, 263, 1, 0, 0, 0, 272, 266,
		1, 0, 0, 0, 273, 35, 1, 0, 0, 0, 274, 275, 3, 72, 36, 0, 275, 276, 5, 63,
		0, 0, 276, 281, 3, 72, 36, 0, 277, 278, 5, 58, 0, 0, 278, 279, 3, 46, 23,
		0, 279, 280, 5, 59, 0, 0, 280, 282, 1, 0, 0, 0, 281, 277, 1, 0, 0, 0, 281,
		282, 1, 0, 0, 0, 282, 284, 1, 0, 0, 0, 283, 285, 3, 38, 19, 0, 284, 283,
		1, 0, 0, 0, 284, 285, 1, 0, 0, 0, 285, 37, 1, 0, 0, 0, 286, 291, 5, 65,
		0, 0, 287, 291, 5, 66, 0, 0, 288, 291, 5, 68, 0, 0, 289, 291, 3, 40, 20,
		0, 290, 286, 1, 0, 0, 0, 290, 287, 1, 0, 0, 0, 290, 288, 1, 0, 0, 0, 290,
		289, 1, 0, 0, 0, 291, 295, 1, 0, 0, 0, 292, 294, 3, 44, 22, 0, 293, 292,
		1, 0, 0, 0, 294, 297, 1, 0, 0, 0, 295, 293, 1, 0, 0, 0, 295, 296, 1, 0,
		0, 0, 296, 39, 1, 0, 0, 0, 297, 295, 1, 0, 0, 0, 298, 299, 5, 60, 0, 0,
		299, 304, 3, 42, 21, 0, 300, 302, 5, 62, 0, 0, 301, 303, 3, 42, 21, 0,
		302, 301, 1, 0, 0, 0, 302, 303, 1, 0, 0, 0, 303, 305, 1, 0, 0, 0, 304,
		300, 1, 0, 0, 0, 304, 305, 1, 0, 0, 0, 305, 306, 1, 0, 0, 0, 306, 307,
		5, 61, 0, 0, 307, 41, 1, 0, 0, 0, 308, 310, 5, 67, 0, 0, 309, 308, 1, 0,
		0, 0, 309, 310, 1, 0, 0, 0, 310, 311, 1, 0, 0, 0, 311, 312, 5, 73, 0, 0,
		312, 43, 1, 0, 0, 0, 313, 323, 5, 32, 0, 0, 314, 323, 5, 33, 0, 0, 315,
		323, 5, 34, 0, 0, 316, 323, 5, 35, 0, 0, 317, 318, 5, 36, 0, 0, 318, 319,
		5, 58, 0, 0, 319, 320, 3, 46, 23, 0, 320, 321, 5, 59, 0, 0, 321, 323, 1,
		0, 0, 0, 322, 313, 1, 0, 0, 0, 322, 314, 1, 0, 0, 0, 322, 315, 1, 0, 0,
		0, 322, 316, 1, 0, 0, 0, 322, 317, 1, 0, 0, 0, 323, 45, 1, 0, 0, 0, 324,
		329, 3, 48, 24, 0, 325, 326, 5, 39, 0, 0, 326, 328, 3, 48, 24, 0, 327,
		325, 1, 0, 0, 0, 328, 331, 1, 0, 0, 0, 329, 327, 1, 0, 0, 0, 329, 330,
		1, 0, 0, 0, 330, 47, 1, 0, 0, 0, 331, 329, 1, 0, 0, 0, 332, 337, 3, 50,
		25, 0, 333, 334, 5, 38, 0, 0, 334, 336, 3, 50, 25, 0, 335, 333, 1, 0, 0,
		0, 336, 339, 1, 0, 0, 0, 337, 335, 1, 0, 0, 0, 337, 338, 1, 0, 0, 0, 338,
		49, 1, 0, 0, 0, 339, 337, 1, 0, 0, 0, 340, 341, 5, 37, 0, 0, 341, 344,
		3, 50, 25, 0, 342, 344, 3, 52, 26, 0, 343, 340, 1, 0, 0, 0, 343, 342, 1,
		0, 0, 0, 344, 51, 1, 0, 0, 0, 345, 347, 3, 56, 28, 0, 346, 348, 3, 54,
		27, 0, 347, 346, 1, 0, 0, 0, 347, 348, 1, 0, 0, 0, 348, 53, 1, 0, 0, 0,
		349, 350, 7, 2, 0, 0, 350, 374, 3, 56, 28, 0, 351, 352, 5, 40, 0, 0, 352,
		353, 5, 58, 0, 0, 353, 358, 3, 46, 23, 0, 354, 355, 5, 62, 0, 0, 355, 357,
		3, 46, 23, 0, 356, 354, 1, 0, 0, 0, 357, 360, 1, 0, 0, 0, 358, 356, 1,
		0, 0, 0, 358, 359, 1, 0, 0, 0, 359, 361, 1, 0, 0, 0, 360, 358, 1, 0, 0,
		0, 361, 362, 5, 59, 0, 0, 362, 374, 1, 0, 0, 0, 363, 364, 5, 41, 0, 0,
		364, 365, 3, 56, 28, 0, 365, 366, 5, 38, 0, 0, 366, 367, 3, 56, 28, 0,
		367, 374, 1, 0, 0, 0, 368, 370, 5, 42, 0, 0, 369, 371, 5, 37, 0, 0, 370,
		369, 1, 0, 0, 0, 370, 371, 1, 0, 0, 0, 371, 372, 1, 0, 0, 0, 372, 374,
		5, 43, 0, 0, 373, 349, 1, 0, 0, 0, 373, 351, 1, 0, 0, 0, 373, 363, 1, 0,
		0, 0, 373, 368, 1, 0, 0, 0, 374, 55, 1, 0, 0, 0, 375, 380, 3, 58, 29, 0,
		376, 377, 7, 3, 0, 0, 377, 379, 3, 58, 29, 0, 378, 376, 1, 0, 0, 0, 379,
		382, 1, 0, 0, 0, 380, 378, 1, 0, 0, 0, 380, 381, 1, 0, 0, 0, 381, 57, 1,
		0, 0, 0, 382, 380, 1, 0, 0, 0, 383, 388, 3, 60, 30, 0, 384, 385, 7, 4,
		0, 0, 385, 387, 3, 60, 30, 0, 386, 384, 1, 0, 0, 0, 387, 390, 1, 0, 0,
		0, 388, 386, 1, 0, 0, 0, 388, 389, 1, 0, 0, 0, 389, 59, 1, 0, 0, 0, 390,
		388, 1, 0, 0, 0, 391, 392, 5, 67, 0, 0, 392, 395, 3, 60, 30, 0, 393, 395,
		3, 62, 31, 0, 394, 391, 1, 0, 0, 0, 394, 393, 1, 0, 0, 0, 395, 61, 1, 0,
		0, 0, 396, 400, 3, 66, 33, 0, 397, 399, 3, 64, 32, 0, 398, 397, 1, 0, 0,
		0, 399, 402, 1, 0, 0, 0, 400, 398, 1, 0, 0, 0, 400, 401, 1, 0, 0, 0, 401,
		63, 1, 0, 0, 0, 402, 400, 1, 0, 0, 0, 403, 404, 5, 64, 0, 0, 404, 417,
		3, 72, 36, 0, 405, 406, 5, 58, 0, 0, 406, 411, 3, 46, 23, 0, 407, 408,
		5, 62, 0, 0, 408, 410, 3, 46, 23, 0, 409, 407, 1, 0, 0, 0, 410, 413, 1,
		0, 0, 0, 411, 409, 1, 0, 0, 0, 411, 412, 1, 0, 0, 0, 412, 414, 1, 0, 0,
		0, 413, 411, 1, 0, 0, 0, 414, 415, 5, 59, 0, 0, 415, 417, 1, 0, 0, 0, 416,
		403, 1, 0, 0, 0, 416, 405, 1, 0, 0, 0, 417, 65, 1, 0, 0, 0, 418, 439, 3,
		68, 34, 0, 419, 420, 3, 70, 35, 0, 420, 429, 5, 56, 0, 0, 421, 426, 3,
		46, 23, 0, 422, 423, 5, 62, 0, 0, 423, 425, 3, 46, 23, 0, 424, 422, 1,
		0, 0, 0, 425, 428, 1, 0, 0, 0, 426, 424, 1, 0, 0, 0, 426, 427, 1, 0, 0,
		0, 427, 430, 1, 0, 0, 0, 428, 426, 1, 0, 0, 0, 429, 421, 1, 0, 0, 0, 429,
		430, 1, 0, 0, 0, 430, 431, 1, 0, 0, 0, 431, 432, 5, 57, 0, 0, 432, 439,
		1, 0, 0, 0, 433, 439, 3, 70, 35, 0, 434, 435, 5, 56, 0, 0, 435, 436, 3,
		46, 23, 0, 436, 437, 5, 57, 0, 0, 437, 439, 1, 0, 0, 0, 438, 418, 1, 0,
		0, 0, 438, 419, 1, 0, 0, 0, 438, 433, 1, 0, 0, 0, 438, 434, 1, 0, 0, 0,
		439, 67, 1, 0, 0, 0, 440, 441, 7, 5, 0, 0, 441, 69, 1, 0, 0, 0, 442, 443,
		7, 6, 0, 0, 443, 71, 1, 0, 0, 0, 444, 455, 3, 70, 35, 0, 445, 455, 5, 37,
		0, 0, 446, 455, 5, 38, 0, 0, 447, 455, 5, 39, 0, 0, 448, 455, 5, 40, 0,
		0, 449, 455, 5, 41, 0, 0, 450, 455, 5, 42, 0, 0, 451, 455, 5, 43, 0, 0,
		452, 455, 5, 44, 0, 0, 453, 455, 5, 45, 0, 0, 454, 444, 1, 0, 0, 0, 454,
		445, 1, 0, 0, 0, 454, 446, 1, 0, 0, 0, 454, 447, 1, 0, 0, 0, 454, 448,
		1, 0, 0, 0, 454, 449, 1, 0, 0, 0, 454, 450, 1, 0, 0, 0, 454, 451, 1, 0,
		0, 0, 454, 452, 1, 0, 0, 0, 454, 453, 1, 0, 0, 0, 455, 73, 1, 0, 0, 0,
		51, 77, 86, 96, 103, 117, 127, 144, 148, 154, 156, 161, 163, 172, 175,
		185, 192, 203, 215, 224, 232, 235, 248, 257, 263, 270, 272, 281, 284, 290,
		295, 302, 304, 309, 322, 329, 337, 343, 347, 358, 370, 373, 380, 388, 394,
		400, 411, 416, 426, 429, 438, 454,
	}
	deserializer := antlr.NewATNDeserializer(nil)
	staticData.atn = deserializer.Deserialize(staticData.serializedATN)
	atn := staticData.atn
	staticData.decisionToDFA = make([]*antlr.DFA, len(atn.DecisionToState))
	decisionToDFA := staticData.decisionToDFA
	for index, state := range atn.DecisionToState {
		decisionToDFA[index] = antlr.NewDFA(state, index)
	}
}

// KRLParserInit initializes any static state used to implement KRLParser. By default the
// static state used to implement the parser is lazily initialized during the first call to
// NewKRLParser(). You can call this function if you wish to initialize the static state ahead
// of time.
func KRLParserInit() {
	staticData := &KRLParserStaticData
	staticData.once.Do(krlParserInit)
}

// NewKRLParser produces a new parser instance for the optional input antlr.TokenStream.
func NewKRLParser(input antlr.TokenStream) *KRLParser {
	KRLParserInit()
	this := new(KRLParser)
	this.BaseParser = antlr.NewBaseParser(input)
	staticData := &KRLParserStaticData
	this.Interpreter = antlr.NewParserATNSimulator(this, staticData.atn, staticData.decisionToDFA, staticData.PredictionContextCache)
	this.RuleNames = staticData.RuleNames
	this.LiteralNames = staticData.LiteralNames
	this.SymbolicNames = staticData.SymbolicNames
	this.GrammarFileName = "KRL.g4"

	return this
}

// KRLParser tokens.
const (
	KRLParserEOF                    = antlr.TokenEOF
	KRLParserSTREAM                 = 1
	KRLParserTABLE                  = 2
	KRLParserFEATURE                = 3
	KRLParserRULE                   = 4
	KRLParserID                     = 5
	KRLParserTIMESTAMP              = 6
	KRLParserWATERMARK              = 7
	KRLParserLATENESS               = 8
	KRLParserKEY                    = 9
	KRLParserOF                     = 10
	KRLParserBY                     = 11
	KRLParserOVER                   = 12
	KRLParserOFFSET                 = 13
	KRLParserEMIT                   = 14
	KRLParserEVERY                  = 15
	KRLParserSLIDING                = 16
	KRLParserTUMBLING               = 17
	KRLParserHOPPING                = 18
	KRLParserSESSION                = 19
	KRLParserSEVERITY               = 20
	KRLParserPATTERN                = 21
	KRLParserWITHIN                 = 22
	KRLParserGAP                    = 23
	KRLParserSKIP_                  = 24
	KRLParserTIMEOUT                = 25
	KRLParserTO                     = 26
	KRLParserNO_SKIP                = 27
	KRLParserTO_NEXT                = 28
	KRLParserPAST_LAST              = 29
	KRLParserTO_FIRST               = 30
	KRLParserTO_LAST                = 31
	KRLParserGREEDY                 = 32
	KRLParserCONSECUTIVE            = 33
	KRLParserCOMBINATIONS           = 34
	KRLParserOPTIONAL               = 35
	KRLParserUNTIL                  = 36
	KRLParserNOT                    = 37
	KRLParserAND                    = 38
	KRLParserOR                     = 39
	KRLParserIN                     = 40
	KRLParserBETWEEN                = 41
	KRLParserIS                     = 42
	KRLParserNULL                   = 43
	KRLParserTRUE                   = 44
	KRLParserFALSE                  = 45
	KRLParserARROW                  = 46
	KRLParserFATARROW               = 47
	KRLParserSQUIGARROW             = 48
	KRLParserEQ                     = 49
	KRLParserNE                     = 50
	KRLParserLE                     = 51
	KRLParserGE                     = 52
	KRLParserLT                     = 53
	KRLParserGT                     = 54
	KRLParserASSIGN                 = 55
	KRLParserLPAREN                 = 56
	KRLParserRPAREN                 = 57
	KRLParserLBRACK                 = 58
	KRLParserRBRACK                 = 59
	KRLParserLBRACE                 = 60
	KRLParserRBRACE                 = 61
	KRLParserCOMMA                  = 62
	KRLParserCOLON                  = 63
	KRLParserDOT                    = 64
	KRLParserQUESTION               = 65
	KRLParserPLUS                   = 66
	KRLParserMINUS                  = 67
	KRLParserSTAR                   = 68
	KRLParserSLASH                  = 69
	KRLParserPERCENT                = 70
	KRLParserDURATION               = 71
	KRLParserFLOAT                  = 72
	KRLParserINT                    = 73
	KRLParserSTRING                 = 74
	KRLParserIDENT                  = 75
	KRLParserBACKQUOTED             = 76
	KRLParserLINE_COMMENT           = 77
	KRLParserBLOCK_COMMENT          = 78
	KRLParserWS                     = 79
	KRLParserBAD_NUMBER             = 80
	KRLParserUNTERMINATED_STRING    = 81
	KRLParserUNTERMINATED_BACKQUOTE = 82
	KRLParserUNTERMINATED_COMMENT   = 83
	KRLParserERROR_CHAR             = 84
)

// KRLParser rules.
const (
	KRLParserRULE_file         = 0
	KRLParserRULE_decl         = 1
	KRLParserRULE_streamDecl   = 2
	KRLParserRULE_fieldDecl    = 3
	KRLParserRULE_streamClause = 4
	KRLParserRULE_tableDecl    = 5
	KRLParserRULE_featureDecl  = 6
	KRLParserRULE_aggregation  = 7
	KRLParserRULE_window       = 8
	KRLParserRULE_ruleDecl     = 9
	KRLParserRULE_ruleClause   = 10
	KRLParserRULE_skipStrategy = 11
	KRLParserRULE_record       = 12
	KRLParserRULE_recordField  = 13
	KRLParserRULE_nameList     = 14
	KRLParserRULE_pattern      = 15
	KRLParserRULE_patternOp    = 16
	KRLParserRULE_element      = 17
	KRLParserRULE_step         = 18
	KRLParserRULE_quantifier   = 19
	KRLParserRULE_repeat       = 20
	KRLParserRULE_bound        = 21
	KRLParserRULE_modifier     = 22
	KRLParserRULE_expr         = 23
	KRLParserRULE_andExpr      = 24
	KRLParserRULE_notExpr      = 25
	KRLParserRULE_cmpExpr      = 26
	KRLParserRULE_cmpTail      = 27
	KRLParserRULE_addExpr      = 28
	KRLParserRULE_mulExpr      = 29
	KRLParserRULE_unaryExpr    = 30
	KRLParserRULE_postfixExpr  = 31
	KRLParserRULE_postfix      = 32
	KRLParserRULE_primary      = 33
	KRLParserRULE_literal      = 34
	KRLParserRULE_exprName     = 35
	KRLParserRULE_name         = 36
)

// IFileContext is an interface to support dynamic dispatch.
type IFileContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	EOF() antlr.TerminalNode
	AllDecl() []IDeclContext
	Decl(i int) IDeclContext

	// IsFileContext differentiates from other interfaces.
	IsFileContext()
}

type FileContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyFileContext() *FileContext {
	var p = new(FileContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_file
	return p
}

func InitEmptyFileContext(p *FileContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_file
}

func (*FileContext) IsFileContext() {}

func NewFileContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *FileContext {
	var p = new(FileContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_file

	return p
}

func (s *FileContext) GetParser() antlr.Parser { return s.parser }

func (s *FileContext) EOF() antlr.TerminalNode {
	return s.GetToken(KRLParserEOF, 0)
}

func (s *FileContext) AllDecl() []IDeclContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IDeclContext); ok {
			len++
		}
	}

	tst := make([]IDeclContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IDeclContext); ok {
			tst[i] = t.(IDeclContext)
			i++
		}
	}

	return tst
}

func (s *FileContext) Decl(i int) IDeclContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IDeclContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IDeclContext)
}

func (s *FileContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *FileContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) File() (localctx IFileContext) {
	localctx = NewFileContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 0, KRLParserRULE_file)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	p.SetState(77)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for (int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&30) != 0 {
		{
			p.SetState(74)
			p.Decl()
		}

		p.SetState(79)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}
	{
		p.SetState(80)
		p.Match(KRLParserEOF)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IDeclContext is an interface to support dynamic dispatch.
type IDeclContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	StreamDecl() IStreamDeclContext
	TableDecl() ITableDeclContext
	FeatureDecl() IFeatureDeclContext
	RuleDecl() IRuleDeclContext

	// IsDeclContext differentiates from other interfaces.
	IsDeclContext()
}

type DeclContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyDeclContext() *DeclContext {
	var p = new(DeclContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_decl
	return p
}

func InitEmptyDeclContext(p *DeclContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_decl
}

func (*DeclContext) IsDeclContext() {}

func NewDeclContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *DeclContext {
	var p = new(DeclContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_decl

	return p
}

func (s *DeclContext) GetParser() antlr.Parser { return s.parser }

func (s *DeclContext) StreamDecl() IStreamDeclContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IStreamDeclContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IStreamDeclContext)
}

func (s *DeclContext) TableDecl() ITableDeclContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(ITableDeclContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(ITableDeclContext)
}

func (s *DeclContext) FeatureDecl() IFeatureDeclContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IFeatureDeclContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IFeatureDeclContext)
}

func (s *DeclContext) RuleDecl() IRuleDeclContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IRuleDeclContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IRuleDeclContext)
}

func (s *DeclContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *DeclContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Decl() (localctx IDeclContext) {
	localctx = NewDeclContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 2, KRLParserRULE_decl)
	p.SetState(86)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserSTREAM:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(82)
			p.StreamDecl()
		}

	case KRLParserTABLE:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(83)
			p.TableDecl()
		}

	case KRLParserFEATURE:
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(84)
			p.FeatureDecl()
		}

	case KRLParserRULE:
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(85)
			p.RuleDecl()
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IStreamDeclContext is an interface to support dynamic dispatch.
type IStreamDeclContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	STREAM() antlr.TerminalNode
	Name() INameContext
	LPAREN() antlr.TerminalNode
	AllFieldDecl() []IFieldDeclContext
	FieldDecl(i int) IFieldDeclContext
	RPAREN() antlr.TerminalNode
	AllCOMMA() []antlr.TerminalNode
	COMMA(i int) antlr.TerminalNode
	AllStreamClause() []IStreamClauseContext
	StreamClause(i int) IStreamClauseContext

	// IsStreamDeclContext differentiates from other interfaces.
	IsStreamDeclContext()
}

type StreamDeclContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyStreamDeclContext() *StreamDeclContext {
	var p = new(StreamDeclContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_streamDecl
	return p
}

func InitEmptyStreamDeclContext(p *StreamDeclContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_streamDecl
}

func (*StreamDeclContext) IsStreamDeclContext() {}

func NewStreamDeclContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *StreamDeclContext {
	var p = new(StreamDeclContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_streamDecl

	return p
}

func (s *StreamDeclContext) GetParser() antlr.Parser { return s.parser }

func (s *StreamDeclContext) STREAM() antlr.TerminalNode {
	return s.GetToken(KRLParserSTREAM, 0)
}

func (s *StreamDeclContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *StreamDeclContext) LPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserLPAREN, 0)
}

func (s *StreamDeclContext) AllFieldDecl() []IFieldDeclContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IFieldDeclContext); ok {
			len++
		}
	}

	tst := make([]IFieldDeclContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IFieldDeclContext); ok {
			tst[i] = t.(IFieldDeclContext)
			i++
		}
	}

	return tst
}

func (s *StreamDeclContext) FieldDecl(i int) IFieldDeclContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IFieldDeclContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IFieldDeclContext)
}

func (s *StreamDeclContext) RPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserRPAREN, 0)
}

func (s *StreamDeclContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *StreamDeclContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

func (s *StreamDeclContext) AllStreamClause() []IStreamClauseContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IStreamClauseContext); ok {
			len++
		}
	}

	tst := make([]IStreamClauseContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IStreamClauseContext); ok {
			tst[i] = t.(IStreamClauseContext)
			i++
		}
	}

	return tst
}

func (s *StreamDeclContext) StreamClause(i int) IStreamClauseContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IStreamClauseContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IStreamClauseContext)
}

func (s *StreamDeclContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StreamDeclContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) StreamDecl() (localctx IStreamDeclContext) {
	localctx = NewStreamDeclContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 4, KRLParserRULE_streamDecl)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(88)
		p.Match(KRLParserSTREAM)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(89)
		p.Name()
	}
	{
		p.SetState(90)
		p.Match(KRLParserLPAREN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(91)
		p.FieldDecl()
	}
	p.SetState(96)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserCOMMA {
		{
			p.SetState(92)
			p.Match(KRLParserCOMMA)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(93)
			p.FieldDecl()
		}

		p.SetState(98)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}
	{
		p.SetState(99)
		p.Match(KRLParserRPAREN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	p.SetState(103)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for (int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&480) != 0 {
		{
			p.SetState(100)
			p.StreamClause()
		}

		p.SetState(105)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IFieldDeclContext is an interface to support dynamic dispatch.
type IFieldDeclContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllName() []INameContext
	Name(i int) INameContext

	// IsFieldDeclContext differentiates from other interfaces.
	IsFieldDeclContext()
}

type FieldDeclContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyFieldDeclContext() *FieldDeclContext {
	var p = new(FieldDeclContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_fieldDecl
	return p
}

func InitEmptyFieldDeclContext(p *FieldDeclContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_fieldDecl
}

func (*FieldDeclContext) IsFieldDeclContext() {}

func NewFieldDeclContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *FieldDeclContext {
	var p = new(FieldDeclContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_fieldDecl

	return p
}

func (s *FieldDeclContext) GetParser() antlr.Parser { return s.parser }

func (s *FieldDeclContext) AllName() []INameContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(INameContext); ok {
			len++
		}
	}

	tst := make([]INameContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(INameContext); ok {
			tst[i] = t.(INameContext)
			i++
		}
	}

	return tst
}

func (s *FieldDeclContext) Name(i int) INameContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *FieldDeclContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *FieldDeclContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) FieldDecl() (localctx IFieldDeclContext) {
	localctx = NewFieldDeclContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 6, KRLParserRULE_fieldDecl)
	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(106)
		p.Name()
	}
	{
		p.SetState(107)
		p.Name()
	}

	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IStreamClauseContext is an interface to support dynamic dispatch.
type IStreamClauseContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser
	// IsStreamClauseContext differentiates from other interfaces.
	IsStreamClauseContext()
}

type StreamClauseContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyStreamClauseContext() *StreamClauseContext {
	var p = new(StreamClauseContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_streamClause
	return p
}

func InitEmptyStreamClauseContext(p *StreamClauseContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_streamClause
}

func (*StreamClauseContext) IsStreamClauseContext() {}

func NewStreamClauseContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *StreamClauseContext {
	var p = new(StreamClauseContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_streamClause

	return p
}

func (s *StreamClauseContext) GetParser() antlr.Parser { return s.parser }

func (s *StreamClauseContext) CopyAll(ctx *StreamClauseContext) {
	s.CopyFrom(&ctx.BaseParserRuleContext)
}

func (s *StreamClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StreamClauseContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

type StreamIDContext struct {
	StreamClauseContext
}

func NewStreamIDContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *StreamIDContext {
	var p = new(StreamIDContext)

	InitEmptyStreamClauseContext(&p.StreamClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*StreamClauseContext))

	return p
}

func (s *StreamIDContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StreamIDContext) ID() antlr.TerminalNode {
	return s.GetToken(KRLParserID, 0)
}

func (s *StreamIDContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

type StreamTimestampContext struct {
	StreamClauseContext
}

func NewStreamTimestampContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *StreamTimestampContext {
	var p = new(StreamTimestampContext)

	InitEmptyStreamClauseContext(&p.StreamClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*StreamClauseContext))

	return p
}

func (s *StreamTimestampContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StreamTimestampContext) TIMESTAMP() antlr.TerminalNode {
	return s.GetToken(KRLParserTIMESTAMP, 0)
}

func (s *StreamTimestampContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

type StreamWatermarkContext struct {
	StreamClauseContext
}

func NewStreamWatermarkContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *StreamWatermarkContext {
	var p = new(StreamWatermarkContext)

	InitEmptyStreamClauseContext(&p.StreamClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*StreamClauseContext))

	return p
}

func (s *StreamWatermarkContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StreamWatermarkContext) WATERMARK() antlr.TerminalNode {
	return s.GetToken(KRLParserWATERMARK, 0)
}

func (s *StreamWatermarkContext) DURATION() antlr.TerminalNode {
	return s.GetToken(KRLParserDURATION, 0)
}

type StreamLatenessContext struct {
	StreamClauseContext
}

func NewStreamLatenessContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *StreamLatenessContext {
	var p = new(StreamLatenessContext)

	InitEmptyStreamClauseContext(&p.StreamClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*StreamClauseContext))

	return p
}

func (s *StreamLatenessContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StreamLatenessContext) LATENESS() antlr.TerminalNode {
	return s.GetToken(KRLParserLATENESS, 0)
}

func (s *StreamLatenessContext) DURATION() antlr.TerminalNode {
	return s.GetToken(KRLParserDURATION, 0)
}

func (p *KRLParser) StreamClause() (localctx IStreamClauseContext) {
	localctx = NewStreamClauseContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 8, KRLParserRULE_streamClause)
	p.SetState(117)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserID:
		localctx = NewStreamIDContext(p, localctx)
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(109)
			p.Match(KRLParserID)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(110)
			p.Name()
		}

	case KRLParserTIMESTAMP:
		localctx = NewStreamTimestampContext(p, localctx)
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(111)
			p.Match(KRLParserTIMESTAMP)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(112)
			p.Name()
		}

	case KRLParserWATERMARK:
		localctx = NewStreamWatermarkContext(p, localctx)
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(113)
			p.Match(KRLParserWATERMARK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(114)
			p.Match(KRLParserDURATION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserLATENESS:
		localctx = NewStreamLatenessContext(p, localctx)
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(115)
			p.Match(KRLParserLATENESS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(116)
			p.Match(KRLParserDURATION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// ITableDeclContext is an interface to support dynamic dispatch.
type ITableDeclContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	TABLE() antlr.TerminalNode
	Name() INameContext
	LPAREN() antlr.TerminalNode
	AllFieldDecl() []IFieldDeclContext
	FieldDecl(i int) IFieldDeclContext
	RPAREN() antlr.TerminalNode
	KEY() antlr.TerminalNode
	NameList() INameListContext
	AllCOMMA() []antlr.TerminalNode
	COMMA(i int) antlr.TerminalNode

	// IsTableDeclContext differentiates from other interfaces.
	IsTableDeclContext()
}

type TableDeclContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyTableDeclContext() *TableDeclContext {
	var p = new(TableDeclContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_tableDecl
	return p
}

func InitEmptyTableDeclContext(p *TableDeclContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_tableDecl
}

func (*TableDeclContext) IsTableDeclContext() {}

func NewTableDeclContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *TableDeclContext {
	var p = new(TableDeclContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_tableDecl

	return p
}

func (s *TableDeclContext) GetParser() antlr.Parser { return s.parser }

func (s *TableDeclContext) TABLE() antlr.TerminalNode {
	return s.GetToken(KRLParserTABLE, 0)
}

func (s *TableDeclContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *TableDeclContext) LPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserLPAREN, 0)
}

func (s *TableDeclContext) AllFieldDecl() []IFieldDeclContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IFieldDeclContext); ok {
			len++
		}
	}

	tst := make([]IFieldDeclContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IFieldDeclContext); ok {
			tst[i] = t.(IFieldDeclContext)
			i++
		}
	}

	return tst
}

func (s *TableDeclContext) FieldDecl(i int) IFieldDeclContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IFieldDeclContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IFieldDeclContext)
}

func (s *TableDeclContext) RPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserRPAREN, 0)
}

func (s *TableDeclContext) KEY() antlr.TerminalNode {
	return s.GetToken(KRLParserKEY, 0)
}

func (s *TableDeclContext) NameList() INameListContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameListContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameListContext)
}

func (s *TableDeclContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *TableDeclContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

func (s *TableDeclContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *TableDeclContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) TableDecl() (localctx ITableDeclContext) {
	localctx = NewTableDeclContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 10, KRLParserRULE_tableDecl)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(119)
		p.Match(KRLParserTABLE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(120)
		p.Name()
	}
	{
		p.SetState(121)
		p.Match(KRLParserLPAREN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(122)
		p.FieldDecl()
	}
	p.SetState(127)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserCOMMA {
		{
			p.SetState(123)
			p.Match(KRLParserCOMMA)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(124)
			p.FieldDecl()
		}

		p.SetState(129)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}
	{
		p.SetState(130)
		p.Match(KRLParserRPAREN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(131)
		p.Match(KRLParserKEY)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(132)
		p.NameList()
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IFeatureDeclContext is an interface to support dynamic dispatch.
type IFeatureDeclContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	FEATURE() antlr.TerminalNode
	AllName() []INameContext
	Name(i int) INameContext
	ASSIGN() antlr.TerminalNode
	Aggregation() IAggregationContext
	OF() antlr.TerminalNode
	LBRACK() antlr.TerminalNode
	Expr() IExprContext
	RBRACK() antlr.TerminalNode
	BY() antlr.TerminalNode
	NameList() INameListContext
	OVER() antlr.TerminalNode
	Window() IWindowContext
	EMIT() antlr.TerminalNode
	OFFSET() antlr.TerminalNode
	AllDURATION() []antlr.TerminalNode
	DURATION(i int) antlr.TerminalNode
	EVERY() antlr.TerminalNode

	// IsFeatureDeclContext differentiates from other interfaces.
	IsFeatureDeclContext()
}

type FeatureDeclContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyFeatureDeclContext() *FeatureDeclContext {
	var p = new(FeatureDeclContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_featureDecl
	return p
}

func InitEmptyFeatureDeclContext(p *FeatureDeclContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_featureDecl
}

func (*FeatureDeclContext) IsFeatureDeclContext() {}

func NewFeatureDeclContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *FeatureDeclContext {
	var p = new(FeatureDeclContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_featureDecl

	return p
}

func (s *FeatureDeclContext) GetParser() antlr.Parser { return s.parser }

func (s *FeatureDeclContext) FEATURE() antlr.TerminalNode {
	return s.GetToken(KRLParserFEATURE, 0)
}

func (s *FeatureDeclContext) AllName() []INameContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(INameContext); ok {
			len++
		}
	}

	tst := make([]INameContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(INameContext); ok {
			tst[i] = t.(INameContext)
			i++
		}
	}

	return tst
}

func (s *FeatureDeclContext) Name(i int) INameContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *FeatureDeclContext) ASSIGN() antlr.TerminalNode {
	return s.GetToken(KRLParserASSIGN, 0)
}

func (s *FeatureDeclContext) Aggregation() IAggregationContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IAggregationContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IAggregationContext)
}

func (s *FeatureDeclContext) OF() antlr.TerminalNode {
	return s.GetToken(KRLParserOF, 0)
}

func (s *FeatureDeclContext) LBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACK, 0)
}

func (s *FeatureDeclContext) Expr() IExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *FeatureDeclContext) RBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACK, 0)
}

func (s *FeatureDeclContext) BY() antlr.TerminalNode {
	return s.GetToken(KRLParserBY, 0)
}

func (s *FeatureDeclContext) NameList() INameListContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameListContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameListContext)
}

func (s *FeatureDeclContext) OVER() antlr.TerminalNode {
	return s.GetToken(KRLParserOVER, 0)
}

func (s *FeatureDeclContext) Window() IWindowContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IWindowContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IWindowContext)
}

func (s *FeatureDeclContext) EMIT() antlr.TerminalNode {
	return s.GetToken(KRLParserEMIT, 0)
}

func (s *FeatureDeclContext) OFFSET() antlr.TerminalNode {
	return s.GetToken(KRLParserOFFSET, 0)
}

func (s *FeatureDeclContext) AllDURATION() []antlr.TerminalNode {
	return s.GetTokens(KRLParserDURATION)
}

func (s *FeatureDeclContext) DURATION(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserDURATION, i)
}

func (s *FeatureDeclContext) EVERY() antlr.TerminalNode {
	return s.GetToken(KRLParserEVERY, 0)
}

func (s *FeatureDeclContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *FeatureDeclContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) FeatureDecl() (localctx IFeatureDeclContext) {
	localctx = NewFeatureDeclContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 12, KRLParserRULE_featureDecl)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(134)
		p.Match(KRLParserFEATURE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(135)
		p.Name()
	}
	{
		p.SetState(136)
		p.Match(KRLParserASSIGN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(137)
		p.Aggregation()
	}
	{
		p.SetState(138)
		p.Match(KRLParserOF)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(139)
		p.Name()
	}
	p.SetState(144)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserLBRACK {
		{
			p.SetState(140)
			p.Match(KRLParserLBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(141)
			p.Expr()
		}
		{
			p.SetState(142)
			p.Match(KRLParserRBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	}
	p.SetState(148)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserBY {
		{
			p.SetState(146)
			p.Match(KRLParserBY)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(147)
			p.NameList()
		}

	}
	p.SetState(156)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserOVER {
		{
			p.SetState(150)
			p.Match(KRLParserOVER)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(151)
			p.Window()
		}
		p.SetState(154)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if _la == KRLParserOFFSET {
			{
				p.SetState(152)
				p.Match(KRLParserOFFSET)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}
			{
				p.SetState(153)
				p.Match(KRLParserDURATION)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}

		}

	}
	p.SetState(163)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserEMIT {
		{
			p.SetState(158)
			p.Match(KRLParserEMIT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		p.SetState(161)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if _la == KRLParserEVERY {
			{
				p.SetState(159)
				p.Match(KRLParserEVERY)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}
			{
				p.SetState(160)
				p.Match(KRLParserDURATION)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}

		}

	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IAggregationContext is an interface to support dynamic dispatch.
type IAggregationContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	Name() INameContext
	LPAREN() antlr.TerminalNode
	RPAREN() antlr.TerminalNode
	AllExpr() []IExprContext
	Expr(i int) IExprContext
	AllCOMMA() []antlr.TerminalNode
	COMMA(i int) antlr.TerminalNode

	// IsAggregationContext differentiates from other interfaces.
	IsAggregationContext()
}

type AggregationContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyAggregationContext() *AggregationContext {
	var p = new(AggregationContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_aggregation
	return p
}

func InitEmptyAggregationContext(p *AggregationContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_aggregation
}

func (*AggregationContext) IsAggregationContext() {}

func NewAggregationContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *AggregationContext {
	var p = new(AggregationContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_aggregation

	return p
}

func (s *AggregationContext) GetParser() antlr.Parser { return s.parser }

func (s *AggregationContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *AggregationContext) LPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserLPAREN, 0)
}

func (s *AggregationContext) RPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserRPAREN, 0)
}

func (s *AggregationContext) AllExpr() []IExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IExprContext); ok {
			len++
		}
	}

	tst := make([]IExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IExprContext); ok {
			tst[i] = t.(IExprContext)
			i++
		}
	}

	return tst
}

func (s *AggregationContext) Expr(i int) IExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *AggregationContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *AggregationContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

func (s *AggregationContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *AggregationContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Aggregation() (localctx IAggregationContext) {
	localctx = NewAggregationContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 14, KRLParserRULE_aggregation)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(165)
		p.Name()
	}
	{
		p.SetState(166)
		p.Match(KRLParserLPAREN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	p.SetState(175)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if ((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&72119441566990334) != 0) || ((int64((_la-67)) & ^0x3f) == 0 && ((int64(1)<<(_la-67))&1009) != 0) {
		{
			p.SetState(167)
			p.Expr()
		}
		p.SetState(172)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		for _la == KRLParserCOMMA {
			{
				p.SetState(168)
				p.Match(KRLParserCOMMA)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}
			{
				p.SetState(169)
				p.Expr()
			}

			p.SetState(174)
			p.GetErrorHandler().Sync(p)
			if p.HasError() {
				goto errorExit
			}
			_la = p.GetTokenStream().LA(1)
		}

	}
	{
		p.SetState(177)
		p.Match(KRLParserRPAREN)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IWindowContext is an interface to support dynamic dispatch.
type IWindowContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// GetKind returns the kind token.
	GetKind() antlr.Token

	// SetKind sets the kind token.
	SetKind(antlr.Token)

	// Getter signatures
	AllDURATION() []antlr.TerminalNode
	DURATION(i int) antlr.TerminalNode
	SLIDING() antlr.TerminalNode
	TUMBLING() antlr.TerminalNode
	SESSION() antlr.TerminalNode
	EVERY() antlr.TerminalNode
	HOPPING() antlr.TerminalNode

	// IsWindowContext differentiates from other interfaces.
	IsWindowContext()
}

type WindowContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
	kind   antlr.Token
}

func NewEmptyWindowContext() *WindowContext {
	var p = new(WindowContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_window
	return p
}

func InitEmptyWindowContext(p *WindowContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_window
}

func (*WindowContext) IsWindowContext() {}

func NewWindowContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *WindowContext {
	var p = new(WindowContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_window

	return p
}

func (s *WindowContext) GetParser() antlr.Parser { return s.parser }

func (s *WindowContext) GetKind() antlr.Token { return s.kind }

func (s *WindowContext) SetKind(v antlr.Token) { s.kind = v }

func (s *WindowContext) AllDURATION() []antlr.TerminalNode {
	return s.GetTokens(KRLParserDURATION)
}

func (s *WindowContext) DURATION(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserDURATION, i)
}

func (s *WindowContext) SLIDING() antlr.TerminalNode {
	return s.GetToken(KRLParserSLIDING, 0)
}

func (s *WindowContext) TUMBLING() antlr.TerminalNode {
	return s.GetToken(KRLParserTUMBLING, 0)
}

func (s *WindowContext) SESSION() antlr.TerminalNode {
	return s.GetToken(KRLParserSESSION, 0)
}

func (s *WindowContext) EVERY() antlr.TerminalNode {
	return s.GetToken(KRLParserEVERY, 0)
}

func (s *WindowContext) HOPPING() antlr.TerminalNode {
	return s.GetToken(KRLParserHOPPING, 0)
}

func (s *WindowContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *WindowContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Window() (localctx IWindowContext) {
	localctx = NewWindowContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 16, KRLParserRULE_window)
	var _la int

	p.SetState(185)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserSLIDING, KRLParserTUMBLING, KRLParserSESSION:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(179)

			var _lt = p.GetTokenStream().LT(1)

			localctx.(*WindowContext).kind = _lt

			_la = p.GetTokenStream().LA(1)

			if !((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&720896) != 0) {
				var _ri = p.GetErrorHandler().RecoverInline(p)

				localctx.(*WindowContext).kind = _ri
			} else {
				p.GetErrorHandler().ReportMatch(p)
				p.Consume()
			}
		}
		{
			p.SetState(180)
			p.Match(KRLParserDURATION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserHOPPING:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(181)

			var _m = p.Match(KRLParserHOPPING)

			localctx.(*WindowContext).kind = _m
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(182)
			p.Match(KRLParserDURATION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(183)
			p.Match(KRLParserEVERY)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(184)
			p.Match(KRLParserDURATION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IRuleDeclContext is an interface to support dynamic dispatch.
type IRuleDeclContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	RULE() antlr.TerminalNode
	Name() INameContext
	AllRuleClause() []IRuleClauseContext
	RuleClause(i int) IRuleClauseContext

	// IsRuleDeclContext differentiates from other interfaces.
	IsRuleDeclContext()
}

type RuleDeclContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyRuleDeclContext() *RuleDeclContext {
	var p = new(RuleDeclContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_ruleDecl
	return p
}

func InitEmptyRuleDeclContext(p *RuleDeclContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_ruleDecl
}

func (*RuleDeclContext) IsRuleDeclContext() {}

func NewRuleDeclContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *RuleDeclContext {
	var p = new(RuleDeclContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_ruleDecl

	return p
}

func (s *RuleDeclContext) GetParser() antlr.Parser { return s.parser }

func (s *RuleDeclContext) RULE() antlr.TerminalNode {
	return s.GetToken(KRLParserRULE, 0)
}

func (s *RuleDeclContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *RuleDeclContext) AllRuleClause() []IRuleClauseContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IRuleClauseContext); ok {
			len++
		}
	}

	tst := make([]IRuleClauseContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IRuleClauseContext); ok {
			tst[i] = t.(IRuleClauseContext)
			i++
		}
	}

	return tst
}

func (s *RuleDeclContext) RuleClause(i int) IRuleClauseContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IRuleClauseContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IRuleClauseContext)
}

func (s *RuleDeclContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *RuleDeclContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) RuleDecl() (localctx IRuleDeclContext) {
	localctx = NewRuleDeclContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 18, KRLParserRULE_ruleDecl)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(187)
		p.Match(KRLParserRULE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(188)
		p.Name()
	}
	p.SetState(192)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for (int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&124798976) != 0 {
		{
			p.SetState(189)
			p.RuleClause()
		}

		p.SetState(194)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IRuleClauseContext is an interface to support dynamic dispatch.
type IRuleClauseContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser
	// IsRuleClauseContext differentiates from other interfaces.
	IsRuleClauseContext()
}

type RuleClauseContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyRuleClauseContext() *RuleClauseContext {
	var p = new(RuleClauseContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_ruleClause
	return p
}

func InitEmptyRuleClauseContext(p *RuleClauseContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_ruleClause
}

func (*RuleClauseContext) IsRuleClauseContext() {}

func NewRuleClauseContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *RuleClauseContext {
	var p = new(RuleClauseContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_ruleClause

	return p
}

func (s *RuleClauseContext) GetParser() antlr.Parser { return s.parser }

func (s *RuleClauseContext) CopyAll(ctx *RuleClauseContext) {
	s.CopyFrom(&ctx.BaseParserRuleContext)
}

func (s *RuleClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *RuleClauseContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

type SeverityClauseContext struct {
	RuleClauseContext
}

func NewSeverityClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *SeverityClauseContext {
	var p = new(SeverityClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *SeverityClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *SeverityClauseContext) SEVERITY() antlr.TerminalNode {
	return s.GetToken(KRLParserSEVERITY, 0)
}

func (s *SeverityClauseContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

type ByClauseContext struct {
	RuleClauseContext
}

func NewByClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *ByClauseContext {
	var p = new(ByClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *ByClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ByClauseContext) BY() antlr.TerminalNode {
	return s.GetToken(KRLParserBY, 0)
}

func (s *ByClauseContext) NameList() INameListContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameListContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameListContext)
}

type PatternClauseContext struct {
	RuleClauseContext
}

func NewPatternClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *PatternClauseContext {
	var p = new(PatternClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *PatternClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *PatternClauseContext) PATTERN() antlr.TerminalNode {
	return s.GetToken(KRLParserPATTERN, 0)
}

func (s *PatternClauseContext) Pattern() IPatternContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IPatternContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IPatternContext)
}

type WithinClauseContext struct {
	RuleClauseContext
}

func NewWithinClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *WithinClauseContext {
	var p = new(WithinClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *WithinClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *WithinClauseContext) WITHIN() antlr.TerminalNode {
	return s.GetToken(KRLParserWITHIN, 0)
}

func (s *WithinClauseContext) DURATION() antlr.TerminalNode {
	return s.GetToken(KRLParserDURATION, 0)
}

func (s *WithinClauseContext) GAP() antlr.TerminalNode {
	return s.GetToken(KRLParserGAP, 0)
}

type SkipClauseContext struct {
	RuleClauseContext
}

func NewSkipClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *SkipClauseContext {
	var p = new(SkipClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *SkipClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *SkipClauseContext) SKIP_() antlr.TerminalNode {
	return s.GetToken(KRLParserSKIP_, 0)
}

func (s *SkipClauseContext) SkipStrategy() ISkipStrategyContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(ISkipStrategyContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(ISkipStrategyContext)
}

type EmitClauseContext struct {
	RuleClauseContext
}

func NewEmitClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *EmitClauseContext {
	var p = new(EmitClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *EmitClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *EmitClauseContext) EMIT() antlr.TerminalNode {
	return s.GetToken(KRLParserEMIT, 0)
}

func (s *EmitClauseContext) Record() IRecordContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IRecordContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IRecordContext)
}

type TimeoutClauseContext struct {
	RuleClauseContext
}

func NewTimeoutClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *TimeoutClauseContext {
	var p = new(TimeoutClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *TimeoutClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *TimeoutClauseContext) TIMEOUT() antlr.TerminalNode {
	return s.GetToken(KRLParserTIMEOUT, 0)
}

func (s *TimeoutClauseContext) EMIT() antlr.TerminalNode {
	return s.GetToken(KRLParserEMIT, 0)
}

func (s *TimeoutClauseContext) Record() IRecordContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IRecordContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IRecordContext)
}

type ToClauseContext struct {
	RuleClauseContext
}

func NewToClauseContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *ToClauseContext {
	var p = new(ToClauseContext)

	InitEmptyRuleClauseContext(&p.RuleClauseContext)
	p.parser = parser
	p.CopyAll(ctx.(*RuleClauseContext))

	return p
}

func (s *ToClauseContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ToClauseContext) TO() antlr.TerminalNode {
	return s.GetToken(KRLParserTO, 0)
}

func (s *ToClauseContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (p *KRLParser) RuleClause() (localctx IRuleClauseContext) {
	localctx = NewRuleClauseContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 20, KRLParserRULE_ruleClause)
	var _la int

	p.SetState(215)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserSEVERITY:
		localctx = NewSeverityClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(195)
			p.Match(KRLParserSEVERITY)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(196)
			p.Name()
		}

	case KRLParserBY:
		localctx = NewByClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(197)
			p.Match(KRLParserBY)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(198)
			p.NameList()
		}

	case KRLParserPATTERN:
		localctx = NewPatternClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(199)
			p.Match(KRLParserPATTERN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(200)
			p.Pattern()
		}

	case KRLParserWITHIN:
		localctx = NewWithinClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(201)
			p.Match(KRLParserWITHIN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		p.SetState(203)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if _la == KRLParserGAP {
			{
				p.SetState(202)
				p.Match(KRLParserGAP)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}

		}
		{
			p.SetState(205)
			p.Match(KRLParserDURATION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserSKIP_:
		localctx = NewSkipClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 5)
		{
			p.SetState(206)
			p.Match(KRLParserSKIP_)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(207)
			p.SkipStrategy()
		}

	case KRLParserEMIT:
		localctx = NewEmitClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 6)
		{
			p.SetState(208)
			p.Match(KRLParserEMIT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(209)
			p.Record()
		}

	case KRLParserTIMEOUT:
		localctx = NewTimeoutClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 7)
		{
			p.SetState(210)
			p.Match(KRLParserTIMEOUT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(211)
			p.Match(KRLParserEMIT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(212)
			p.Record()
		}

	case KRLParserTO:
		localctx = NewToClauseContext(p, localctx)
		p.EnterOuterAlt(localctx, 8)
		{
			p.SetState(213)
			p.Match(KRLParserTO)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(214)
			p.Name()
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// ISkipStrategyContext is an interface to support dynamic dispatch.
type ISkipStrategyContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	NO_SKIP() antlr.TerminalNode
	TO_NEXT() antlr.TerminalNode
	PAST_LAST() antlr.TerminalNode
	TO_FIRST() antlr.TerminalNode
	Name() INameContext
	TO_LAST() antlr.TerminalNode

	// IsSkipStrategyContext differentiates from other interfaces.
	IsSkipStrategyContext()
}

type SkipStrategyContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptySkipStrategyContext() *SkipStrategyContext {
	var p = new(SkipStrategyContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_skipStrategy
	return p
}

func InitEmptySkipStrategyContext(p *SkipStrategyContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_skipStrategy
}

func (*SkipStrategyContext) IsSkipStrategyContext() {}

func NewSkipStrategyContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *SkipStrategyContext {
	var p = new(SkipStrategyContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_skipStrategy

	return p
}

func (s *SkipStrategyContext) GetParser() antlr.Parser { return s.parser }

func (s *SkipStrategyContext) NO_SKIP() antlr.TerminalNode {
	return s.GetToken(KRLParserNO_SKIP, 0)
}

func (s *SkipStrategyContext) TO_NEXT() antlr.TerminalNode {
	return s.GetToken(KRLParserTO_NEXT, 0)
}

func (s *SkipStrategyContext) PAST_LAST() antlr.TerminalNode {
	return s.GetToken(KRLParserPAST_LAST, 0)
}

func (s *SkipStrategyContext) TO_FIRST() antlr.TerminalNode {
	return s.GetToken(KRLParserTO_FIRST, 0)
}

func (s *SkipStrategyContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *SkipStrategyContext) TO_LAST() antlr.TerminalNode {
	return s.GetToken(KRLParserTO_LAST, 0)
}

func (s *SkipStrategyContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *SkipStrategyContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) SkipStrategy() (localctx ISkipStrategyContext) {
	localctx = NewSkipStrategyContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 22, KRLParserRULE_skipStrategy)
	p.SetState(224)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserNO_SKIP:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(217)
			p.Match(KRLParserNO_SKIP)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserTO_NEXT:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(218)
			p.Match(KRLParserTO_NEXT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserPAST_LAST:
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(219)
			p.Match(KRLParserPAST_LAST)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserTO_FIRST:
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(220)
			p.Match(KRLParserTO_FIRST)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(221)
			p.Name()
		}

	case KRLParserTO_LAST:
		p.EnterOuterAlt(localctx, 5)
		{
			p.SetState(222)
			p.Match(KRLParserTO_LAST)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(223)
			p.Name()
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IRecordContext is an interface to support dynamic dispatch.
type IRecordContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	LBRACE() antlr.TerminalNode
	RBRACE() antlr.TerminalNode
	AllRecordField() []IRecordFieldContext
	RecordField(i int) IRecordFieldContext
	AllCOMMA() []antlr.TerminalNode
	COMMA(i int) antlr.TerminalNode

	// IsRecordContext differentiates from other interfaces.
	IsRecordContext()
}

type RecordContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyRecordContext() *RecordContext {
	var p = new(RecordContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_record
	return p
}

func InitEmptyRecordContext(p *RecordContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_record
}

func (*RecordContext) IsRecordContext() {}

func NewRecordContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *RecordContext {
	var p = new(RecordContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_record

	return p
}

func (s *RecordContext) GetParser() antlr.Parser { return s.parser }

func (s *RecordContext) LBRACE() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACE, 0)
}

func (s *RecordContext) RBRACE() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACE, 0)
}

func (s *RecordContext) AllRecordField() []IRecordFieldContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IRecordFieldContext); ok {
			len++
		}
	}

	tst := make([]IRecordFieldContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IRecordFieldContext); ok {
			tst[i] = t.(IRecordFieldContext)
			i++
		}
	}

	return tst
}

func (s *RecordContext) RecordField(i int) IRecordFieldContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IRecordFieldContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IRecordFieldContext)
}

func (s *RecordContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *RecordContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

func (s *RecordContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *RecordContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Record() (localctx IRecordContext) {
	localctx = NewRecordContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 24, KRLParserRULE_record)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(226)
		p.Match(KRLParserLBRACE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	p.SetState(235)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if ((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&70368744177662) != 0) || _la == KRLParserIDENT || _la == KRLParserBACKQUOTED {
		{
			p.SetState(227)
			p.RecordField()
		}
		p.SetState(232)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		for _la == KRLParserCOMMA {
			{
				p.SetState(228)
				p.Match(KRLParserCOMMA)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}
			{
				p.SetState(229)
				p.RecordField()
			}

			p.SetState(234)
			p.GetErrorHandler().Sync(p)
			if p.HasError() {
				goto errorExit
			}
			_la = p.GetTokenStream().LA(1)
		}

	}
	{
		p.SetState(237)
		p.Match(KRLParserRBRACE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IRecordFieldContext is an interface to support dynamic dispatch.
type IRecordFieldContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	Name() INameContext
	COLON() antlr.TerminalNode
	Expr() IExprContext

	// IsRecordFieldContext differentiates from other interfaces.
	IsRecordFieldContext()
}

type RecordFieldContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyRecordFieldContext() *RecordFieldContext {
	var p = new(RecordFieldContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_recordField
	return p
}

func InitEmptyRecordFieldContext(p *RecordFieldContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_recordField
}

func (*RecordFieldContext) IsRecordFieldContext() {}

func NewRecordFieldContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *RecordFieldContext {
	var p = new(RecordFieldContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_recordField

	return p
}

func (s *RecordFieldContext) GetParser() antlr.Parser { return s.parser }

func (s *RecordFieldContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *RecordFieldContext) COLON() antlr.TerminalNode {
	return s.GetToken(KRLParserCOLON, 0)
}

func (s *RecordFieldContext) Expr() IExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *RecordFieldContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *RecordFieldContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) RecordField() (localctx IRecordFieldContext) {
	localctx = NewRecordFieldContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 26, KRLParserRULE_recordField)
	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(239)
		p.Name()
	}
	{
		p.SetState(240)
		p.Match(KRLParserCOLON)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(241)
		p.Expr()
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// INameListContext is an interface to support dynamic dispatch.
type INameListContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllName() []INameContext
	Name(i int) INameContext
	AllCOMMA() []antlr.TerminalNode
	COMMA(i int) antlr.TerminalNode

	// IsNameListContext differentiates from other interfaces.
	IsNameListContext()
}

type NameListContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyNameListContext() *NameListContext {
	var p = new(NameListContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_nameList
	return p
}

func InitEmptyNameListContext(p *NameListContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_nameList
}

func (*NameListContext) IsNameListContext() {}

func NewNameListContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *NameListContext {
	var p = new(NameListContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_nameList

	return p
}

func (s *NameListContext) GetParser() antlr.Parser { return s.parser }

func (s *NameListContext) AllName() []INameContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(INameContext); ok {
			len++
		}
	}

	tst := make([]INameContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(INameContext); ok {
			tst[i] = t.(INameContext)
			i++
		}
	}

	return tst
}

func (s *NameListContext) Name(i int) INameContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *NameListContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *NameListContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

func (s *NameListContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *NameListContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) NameList() (localctx INameListContext) {
	localctx = NewNameListContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 28, KRLParserRULE_nameList)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(243)
		p.Name()
	}
	p.SetState(248)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserCOMMA {
		{
			p.SetState(244)
			p.Match(KRLParserCOMMA)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(245)
			p.Name()
		}

		p.SetState(250)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IPatternContext is an interface to support dynamic dispatch.
type IPatternContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllElement() []IElementContext
	Element(i int) IElementContext
	AllPatternOp() []IPatternOpContext
	PatternOp(i int) IPatternOpContext

	// IsPatternContext differentiates from other interfaces.
	IsPatternContext()
}

type PatternContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyPatternContext() *PatternContext {
	var p = new(PatternContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_pattern
	return p
}

func InitEmptyPatternContext(p *PatternContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_pattern
}

func (*PatternContext) IsPatternContext() {}

func NewPatternContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *PatternContext {
	var p = new(PatternContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_pattern

	return p
}

func (s *PatternContext) GetParser() antlr.Parser { return s.parser }

func (s *PatternContext) AllElement() []IElementContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IElementContext); ok {
			len++
		}
	}

	tst := make([]IElementContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IElementContext); ok {
			tst[i] = t.(IElementContext)
			i++
		}
	}

	return tst
}

func (s *PatternContext) Element(i int) IElementContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IElementContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IElementContext)
}

func (s *PatternContext) AllPatternOp() []IPatternOpContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IPatternOpContext); ok {
			len++
		}
	}

	tst := make([]IPatternOpContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IPatternOpContext); ok {
			tst[i] = t.(IPatternOpContext)
			i++
		}
	}

	return tst
}

func (s *PatternContext) PatternOp(i int) IPatternOpContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IPatternOpContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IPatternOpContext)
}

func (s *PatternContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *PatternContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Pattern() (localctx IPatternContext) {
	localctx = NewPatternContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 30, KRLParserRULE_pattern)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(251)
		p.Element()
	}
	p.SetState(257)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for (int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&492581209243648) != 0 {
		{
			p.SetState(252)
			p.PatternOp()
		}
		{
			p.SetState(253)
			p.Element()
		}

		p.SetState(259)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IPatternOpContext is an interface to support dynamic dispatch.
type IPatternOpContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	ARROW() antlr.TerminalNode
	FATARROW() antlr.TerminalNode
	SQUIGARROW() antlr.TerminalNode

	// IsPatternOpContext differentiates from other interfaces.
	IsPatternOpContext()
}

type PatternOpContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyPatternOpContext() *PatternOpContext {
	var p = new(PatternOpContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_patternOp
	return p
}

func InitEmptyPatternOpContext(p *PatternOpContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_patternOp
}

func (*PatternOpContext) IsPatternOpContext() {}

func NewPatternOpContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *PatternOpContext {
	var p = new(PatternOpContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_patternOp

	return p
}

func (s *PatternOpContext) GetParser() antlr.Parser { return s.parser }

func (s *PatternOpContext) ARROW() antlr.TerminalNode {
	return s.GetToken(KRLParserARROW, 0)
}

func (s *PatternOpContext) FATARROW() antlr.TerminalNode {
	return s.GetToken(KRLParserFATARROW, 0)
}

func (s *PatternOpContext) SQUIGARROW() antlr.TerminalNode {
	return s.GetToken(KRLParserSQUIGARROW, 0)
}

func (s *PatternOpContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *PatternOpContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) PatternOp() (localctx IPatternOpContext) {
	localctx = NewPatternOpContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 32, KRLParserRULE_patternOp)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(260)
		_la = p.GetTokenStream().LA(1)

		if !((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&492581209243648) != 0) {
			p.GetErrorHandler().RecoverInline(p)
		} else {
			p.GetErrorHandler().ReportMatch(p)
			p.Consume()
		}
	}

	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IElementContext is an interface to support dynamic dispatch.
type IElementContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser
	// IsElementContext differentiates from other interfaces.
	IsElementContext()
}

type ElementContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyElementContext() *ElementContext {
	var p = new(ElementContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_element
	return p
}

func InitEmptyElementContext(p *ElementContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_element
}

func (*ElementContext) IsElementContext() {}

func NewElementContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *ElementContext {
	var p = new(ElementContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_element

	return p
}

func (s *ElementContext) GetParser() antlr.Parser { return s.parser }

func (s *ElementContext) CopyAll(ctx *ElementContext) {
	s.CopyFrom(&ctx.BaseParserRuleContext)
}

func (s *ElementContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ElementContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

type StepElementContext struct {
	ElementContext
}

func NewStepElementContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *StepElementContext {
	var p = new(StepElementContext)

	InitEmptyElementContext(&p.ElementContext)
	p.parser = parser
	p.CopyAll(ctx.(*ElementContext))

	return p
}

func (s *StepElementContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StepElementContext) Step() IStepContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IStepContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IStepContext)
}

func (s *StepElementContext) NOT() antlr.TerminalNode {
	return s.GetToken(KRLParserNOT, 0)
}

type GroupElementContext struct {
	ElementContext
}

func NewGroupElementContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *GroupElementContext {
	var p = new(GroupElementContext)

	InitEmptyElementContext(&p.ElementContext)
	p.parser = parser
	p.CopyAll(ctx.(*ElementContext))

	return p
}

func (s *GroupElementContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *GroupElementContext) LPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserLPAREN, 0)
}

func (s *GroupElementContext) Pattern() IPatternContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IPatternContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IPatternContext)
}

func (s *GroupElementContext) RPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserRPAREN, 0)
}

func (s *GroupElementContext) Quantifier() IQuantifierContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IQuantifierContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IQuantifierContext)
}

func (p *KRLParser) Element() (localctx IElementContext) {
	localctx = NewElementContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 34, KRLParserRULE_element)
	var _la int

	p.SetState(272)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserSTREAM, KRLParserTABLE, KRLParserFEATURE, KRLParserRULE, KRLParserID, KRLParserTIMESTAMP, KRLParserWATERMARK, KRLParserLATENESS, KRLParserKEY, KRLParserOF, KRLParserBY, KRLParserOVER, KRLParserOFFSET, KRLParserEMIT, KRLParserEVERY, KRLParserSLIDING, KRLParserTUMBLING, KRLParserHOPPING, KRLParserSESSION, KRLParserSEVERITY, KRLParserPATTERN, KRLParserWITHIN, KRLParserGAP, KRLParserSKIP_, KRLParserTIMEOUT, KRLParserTO, KRLParserNO_SKIP, KRLParserTO_NEXT, KRLParserPAST_LAST, KRLParserTO_FIRST, KRLParserTO_LAST, KRLParserGREEDY, KRLParserCONSECUTIVE, KRLParserCOMBINATIONS, KRLParserOPTIONAL, KRLParserUNTIL, KRLParserNOT, KRLParserAND, KRLParserOR, KRLParserIN, KRLParserBETWEEN, KRLParserIS, KRLParserNULL, KRLParserTRUE, KRLParserFALSE, KRLParserIDENT, KRLParserBACKQUOTED:
		localctx = NewStepElementContext(p, localctx)
		p.EnterOuterAlt(localctx, 1)
		p.SetState(263)
		p.GetErrorHandler().Sync(p)

		if p.GetInterpreter().AdaptivePredict(p.BaseParser, p.GetTokenStream(), 23, p.GetParserRuleContext()) == 1 {
			{
				p.SetState(262)
				p.Match(KRLParserNOT)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}

		} else if p.HasError() { // JIM
			goto errorExit
		}
		{
			p.SetState(265)
			p.Step()
		}

	case KRLParserLPAREN:
		localctx = NewGroupElementContext(p, localctx)
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(266)
			p.Match(KRLParserLPAREN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(267)
			p.Pattern()
		}
		{
			p.SetState(268)
			p.Match(KRLParserRPAREN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		p.SetState(270)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if (int64((_la-60)) & ^0x3f) == 0 && ((int64(1)<<(_la-60))&353) != 0 {
			{
				p.SetState(269)
				p.Quantifier()
			}

		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IStepContext is an interface to support dynamic dispatch.
type IStepContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllName() []INameContext
	Name(i int) INameContext
	COLON() antlr.TerminalNode
	LBRACK() antlr.TerminalNode
	Expr() IExprContext
	RBRACK() antlr.TerminalNode
	Quantifier() IQuantifierContext

	// IsStepContext differentiates from other interfaces.
	IsStepContext()
}

type StepContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyStepContext() *StepContext {
	var p = new(StepContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_step
	return p
}

func InitEmptyStepContext(p *StepContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_step
}

func (*StepContext) IsStepContext() {}

func NewStepContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *StepContext {
	var p = new(StepContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_step

	return p
}

func (s *StepContext) GetParser() antlr.Parser { return s.parser }

func (s *StepContext) AllName() []INameContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(INameContext); ok {
			len++
		}
	}

	tst := make([]INameContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(INameContext); ok {
			tst[i] = t.(INameContext)
			i++
		}
	}

	return tst
}

func (s *StepContext) Name(i int) INameContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

func (s *StepContext) COLON() antlr.TerminalNode {
	return s.GetToken(KRLParserCOLON, 0)
}

func (s *StepContext) LBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACK, 0)
}

func (s *StepContext) Expr() IExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *StepContext) RBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACK, 0)
}

func (s *StepContext) Quantifier() IQuantifierContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IQuantifierContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IQuantifierContext)
}

func (s *StepContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *StepContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Step() (localctx IStepContext) {
	localctx = NewStepContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 36, KRLParserRULE_step)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(274)
		p.Name()
	}
	{
		p.SetState(275)
		p.Match(KRLParserCOLON)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(276)
		p.Name()
	}
	p.SetState(281)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserLBRACK {
		{
			p.SetState(277)
			p.Match(KRLParserLBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(278)
			p.Expr()
		}
		{
			p.SetState(279)
			p.Match(KRLParserRBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	}
	p.SetState(284)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if (int64((_la-60)) & ^0x3f) == 0 && ((int64(1)<<(_la-60))&353) != 0 {
		{
			p.SetState(283)
			p.Quantifier()
		}

	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IQuantifierContext is an interface to support dynamic dispatch.
type IQuantifierContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	QUESTION() antlr.TerminalNode
	PLUS() antlr.TerminalNode
	STAR() antlr.TerminalNode
	Repeat() IRepeatContext
	AllModifier() []IModifierContext
	Modifier(i int) IModifierContext

	// IsQuantifierContext differentiates from other interfaces.
	IsQuantifierContext()
}

type QuantifierContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyQuantifierContext() *QuantifierContext {
	var p = new(QuantifierContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_quantifier
	return p
}

func InitEmptyQuantifierContext(p *QuantifierContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_quantifier
}

func (*QuantifierContext) IsQuantifierContext() {}

func NewQuantifierContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *QuantifierContext {
	var p = new(QuantifierContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_quantifier

	return p
}

func (s *QuantifierContext) GetParser() antlr.Parser { return s.parser }

func (s *QuantifierContext) QUESTION() antlr.TerminalNode {
	return s.GetToken(KRLParserQUESTION, 0)
}

func (s *QuantifierContext) PLUS() antlr.TerminalNode {
	return s.GetToken(KRLParserPLUS, 0)
}

func (s *QuantifierContext) STAR() antlr.TerminalNode {
	return s.GetToken(KRLParserSTAR, 0)
}

func (s *QuantifierContext) Repeat() IRepeatContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IRepeatContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IRepeatContext)
}

func (s *QuantifierContext) AllModifier() []IModifierContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IModifierContext); ok {
			len++
		}
	}

	tst := make([]IModifierContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IModifierContext); ok {
			tst[i] = t.(IModifierContext)
			i++
		}
	}

	return tst
}

func (s *QuantifierContext) Modifier(i int) IModifierContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IModifierContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IModifierContext)
}

func (s *QuantifierContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *QuantifierContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Quantifier() (localctx IQuantifierContext) {
	localctx = NewQuantifierContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 38, KRLParserRULE_quantifier)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	p.SetState(290)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserQUESTION:
		{
			p.SetState(286)
			p.Match(KRLParserQUESTION)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserPLUS:
		{
			p.SetState(287)
			p.Match(KRLParserPLUS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserSTAR:
		{
			p.SetState(288)
			p.Match(KRLParserSTAR)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserLBRACE:
		{
			p.SetState(289)
			p.Repeat()
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}
	p.SetState(295)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for (int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&133143986176) != 0 {
		{
			p.SetState(292)
			p.Modifier()
		}

		p.SetState(297)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IRepeatContext is an interface to support dynamic dispatch.
type IRepeatContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// GetLo returns the lo rule contexts.
	GetLo() IBoundContext

	// GetHi returns the hi rule contexts.
	GetHi() IBoundContext

	// SetLo sets the lo rule contexts.
	SetLo(IBoundContext)

	// SetHi sets the hi rule contexts.
	SetHi(IBoundContext)

	// Getter signatures
	LBRACE() antlr.TerminalNode
	RBRACE() antlr.TerminalNode
	AllBound() []IBoundContext
	Bound(i int) IBoundContext
	COMMA() antlr.TerminalNode

	// IsRepeatContext differentiates from other interfaces.
	IsRepeatContext()
}

type RepeatContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
	lo     IBoundContext
	hi     IBoundContext
}

func NewEmptyRepeatContext() *RepeatContext {
	var p = new(RepeatContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_repeat
	return p
}

func InitEmptyRepeatContext(p *RepeatContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_repeat
}

func (*RepeatContext) IsRepeatContext() {}

func NewRepeatContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *RepeatContext {
	var p = new(RepeatContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_repeat

	return p
}

func (s *RepeatContext) GetParser() antlr.Parser { return s.parser }

func (s *RepeatContext) GetLo() IBoundContext { return s.lo }

func (s *RepeatContext) GetHi() IBoundContext { return s.hi }

func (s *RepeatContext) SetLo(v IBoundContext) { s.lo = v }

func (s *RepeatContext) SetHi(v IBoundContext) { s.hi = v }

func (s *RepeatContext) LBRACE() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACE, 0)
}

func (s *RepeatContext) RBRACE() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACE, 0)
}

func (s *RepeatContext) AllBound() []IBoundContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IBoundContext); ok {
			len++
		}
	}

	tst := make([]IBoundContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IBoundContext); ok {
			tst[i] = t.(IBoundContext)
			i++
		}
	}

	return tst
}

func (s *RepeatContext) Bound(i int) IBoundContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IBoundContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IBoundContext)
}

func (s *RepeatContext) COMMA() antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, 0)
}

func (s *RepeatContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *RepeatContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Repeat() (localctx IRepeatContext) {
	localctx = NewRepeatContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 40, KRLParserRULE_repeat)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(298)
		p.Match(KRLParserLBRACE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}
	{
		p.SetState(299)

		var _x = p.Bound()

		localctx.(*RepeatContext).lo = _x
	}
	p.SetState(304)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserCOMMA {
		{
			p.SetState(300)
			p.Match(KRLParserCOMMA)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		p.SetState(302)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if _la == KRLParserMINUS || _la == KRLParserINT {
			{
				p.SetState(301)

				var _x = p.Bound()

				localctx.(*RepeatContext).hi = _x
			}

		}

	}
	{
		p.SetState(306)
		p.Match(KRLParserRBRACE)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IBoundContext is an interface to support dynamic dispatch.
type IBoundContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	INT() antlr.TerminalNode
	MINUS() antlr.TerminalNode

	// IsBoundContext differentiates from other interfaces.
	IsBoundContext()
}

type BoundContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyBoundContext() *BoundContext {
	var p = new(BoundContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_bound
	return p
}

func InitEmptyBoundContext(p *BoundContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_bound
}

func (*BoundContext) IsBoundContext() {}

func NewBoundContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *BoundContext {
	var p = new(BoundContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_bound

	return p
}

func (s *BoundContext) GetParser() antlr.Parser { return s.parser }

func (s *BoundContext) INT() antlr.TerminalNode {
	return s.GetToken(KRLParserINT, 0)
}

func (s *BoundContext) MINUS() antlr.TerminalNode {
	return s.GetToken(KRLParserMINUS, 0)
}

func (s *BoundContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *BoundContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Bound() (localctx IBoundContext) {
	localctx = NewBoundContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 42, KRLParserRULE_bound)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	p.SetState(309)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if _la == KRLParserMINUS {
		{
			p.SetState(308)
			p.Match(KRLParserMINUS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	}
	{
		p.SetState(311)
		p.Match(KRLParserINT)
		if p.HasError() {
			// Recognition error - abort rule
			goto errorExit
		}
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IModifierContext is an interface to support dynamic dispatch.
type IModifierContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	GREEDY() antlr.TerminalNode
	CONSECUTIVE() antlr.TerminalNode
	COMBINATIONS() antlr.TerminalNode
	OPTIONAL() antlr.TerminalNode
	UNTIL() antlr.TerminalNode
	LBRACK() antlr.TerminalNode
	Expr() IExprContext
	RBRACK() antlr.TerminalNode

	// IsModifierContext differentiates from other interfaces.
	IsModifierContext()
}

type ModifierContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyModifierContext() *ModifierContext {
	var p = new(ModifierContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_modifier
	return p
}

func InitEmptyModifierContext(p *ModifierContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_modifier
}

func (*ModifierContext) IsModifierContext() {}

func NewModifierContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *ModifierContext {
	var p = new(ModifierContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_modifier

	return p
}

func (s *ModifierContext) GetParser() antlr.Parser { return s.parser }

func (s *ModifierContext) GREEDY() antlr.TerminalNode {
	return s.GetToken(KRLParserGREEDY, 0)
}

func (s *ModifierContext) CONSECUTIVE() antlr.TerminalNode {
	return s.GetToken(KRLParserCONSECUTIVE, 0)
}

func (s *ModifierContext) COMBINATIONS() antlr.TerminalNode {
	return s.GetToken(KRLParserCOMBINATIONS, 0)
}

func (s *ModifierContext) OPTIONAL() antlr.TerminalNode {
	return s.GetToken(KRLParserOPTIONAL, 0)
}

func (s *ModifierContext) UNTIL() antlr.TerminalNode {
	return s.GetToken(KRLParserUNTIL, 0)
}

func (s *ModifierContext) LBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACK, 0)
}

func (s *ModifierContext) Expr() IExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *ModifierContext) RBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACK, 0)
}

func (s *ModifierContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ModifierContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Modifier() (localctx IModifierContext) {
	localctx = NewModifierContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 44, KRLParserRULE_modifier)
	p.SetState(322)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserGREEDY:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(313)
			p.Match(KRLParserGREEDY)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserCONSECUTIVE:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(314)
			p.Match(KRLParserCONSECUTIVE)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserCOMBINATIONS:
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(315)
			p.Match(KRLParserCOMBINATIONS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserOPTIONAL:
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(316)
			p.Match(KRLParserOPTIONAL)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserUNTIL:
		p.EnterOuterAlt(localctx, 5)
		{
			p.SetState(317)
			p.Match(KRLParserUNTIL)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(318)
			p.Match(KRLParserLBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(319)
			p.Expr()
		}
		{
			p.SetState(320)
			p.Match(KRLParserRBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IExprContext is an interface to support dynamic dispatch.
type IExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllAndExpr() []IAndExprContext
	AndExpr(i int) IAndExprContext
	AllOR() []antlr.TerminalNode
	OR(i int) antlr.TerminalNode

	// IsExprContext differentiates from other interfaces.
	IsExprContext()
}

type ExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyExprContext() *ExprContext {
	var p = new(ExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_expr
	return p
}

func InitEmptyExprContext(p *ExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_expr
}

func (*ExprContext) IsExprContext() {}

func NewExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *ExprContext {
	var p = new(ExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_expr

	return p
}

func (s *ExprContext) GetParser() antlr.Parser { return s.parser }

func (s *ExprContext) AllAndExpr() []IAndExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IAndExprContext); ok {
			len++
		}
	}

	tst := make([]IAndExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IAndExprContext); ok {
			tst[i] = t.(IAndExprContext)
			i++
		}
	}

	return tst
}

func (s *ExprContext) AndExpr(i int) IAndExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IAndExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IAndExprContext)
}

func (s *ExprContext) AllOR() []antlr.TerminalNode {
	return s.GetTokens(KRLParserOR)
}

func (s *ExprContext) OR(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserOR, i)
}

func (s *ExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Expr() (localctx IExprContext) {
	localctx = NewExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 46, KRLParserRULE_expr)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(324)
		p.AndExpr()
	}
	p.SetState(329)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserOR {
		{
			p.SetState(325)
			p.Match(KRLParserOR)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(326)
			p.AndExpr()
		}

		p.SetState(331)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IAndExprContext is an interface to support dynamic dispatch.
type IAndExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllNotExpr() []INotExprContext
	NotExpr(i int) INotExprContext
	AllAND() []antlr.TerminalNode
	AND(i int) antlr.TerminalNode

	// IsAndExprContext differentiates from other interfaces.
	IsAndExprContext()
}

type AndExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyAndExprContext() *AndExprContext {
	var p = new(AndExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_andExpr
	return p
}

func InitEmptyAndExprContext(p *AndExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_andExpr
}

func (*AndExprContext) IsAndExprContext() {}

func NewAndExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *AndExprContext {
	var p = new(AndExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_andExpr

	return p
}

func (s *AndExprContext) GetParser() antlr.Parser { return s.parser }

func (s *AndExprContext) AllNotExpr() []INotExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(INotExprContext); ok {
			len++
		}
	}

	tst := make([]INotExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(INotExprContext); ok {
			tst[i] = t.(INotExprContext)
			i++
		}
	}

	return tst
}

func (s *AndExprContext) NotExpr(i int) INotExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INotExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(INotExprContext)
}

func (s *AndExprContext) AllAND() []antlr.TerminalNode {
	return s.GetTokens(KRLParserAND)
}

func (s *AndExprContext) AND(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserAND, i)
}

func (s *AndExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *AndExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) AndExpr() (localctx IAndExprContext) {
	localctx = NewAndExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 48, KRLParserRULE_andExpr)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(332)
		p.NotExpr()
	}
	p.SetState(337)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserAND {
		{
			p.SetState(333)
			p.Match(KRLParserAND)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(334)
			p.NotExpr()
		}

		p.SetState(339)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// INotExprContext is an interface to support dynamic dispatch.
type INotExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	NOT() antlr.TerminalNode
	NotExpr() INotExprContext
	CmpExpr() ICmpExprContext

	// IsNotExprContext differentiates from other interfaces.
	IsNotExprContext()
}

type NotExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyNotExprContext() *NotExprContext {
	var p = new(NotExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_notExpr
	return p
}

func InitEmptyNotExprContext(p *NotExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_notExpr
}

func (*NotExprContext) IsNotExprContext() {}

func NewNotExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *NotExprContext {
	var p = new(NotExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_notExpr

	return p
}

func (s *NotExprContext) GetParser() antlr.Parser { return s.parser }

func (s *NotExprContext) NOT() antlr.TerminalNode {
	return s.GetToken(KRLParserNOT, 0)
}

func (s *NotExprContext) NotExpr() INotExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INotExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INotExprContext)
}

func (s *NotExprContext) CmpExpr() ICmpExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(ICmpExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(ICmpExprContext)
}

func (s *NotExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *NotExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) NotExpr() (localctx INotExprContext) {
	localctx = NewNotExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 50, KRLParserRULE_notExpr)
	p.SetState(343)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserNOT:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(340)
			p.Match(KRLParserNOT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(341)
			p.NotExpr()
		}

	case KRLParserSTREAM, KRLParserTABLE, KRLParserFEATURE, KRLParserRULE, KRLParserID, KRLParserTIMESTAMP, KRLParserWATERMARK, KRLParserLATENESS, KRLParserKEY, KRLParserOF, KRLParserBY, KRLParserOVER, KRLParserOFFSET, KRLParserEMIT, KRLParserEVERY, KRLParserSLIDING, KRLParserTUMBLING, KRLParserHOPPING, KRLParserSESSION, KRLParserSEVERITY, KRLParserPATTERN, KRLParserWITHIN, KRLParserGAP, KRLParserSKIP_, KRLParserTIMEOUT, KRLParserTO, KRLParserNO_SKIP, KRLParserTO_NEXT, KRLParserPAST_LAST, KRLParserTO_FIRST, KRLParserTO_LAST, KRLParserGREEDY, KRLParserCONSECUTIVE, KRLParserCOMBINATIONS, KRLParserOPTIONAL, KRLParserUNTIL, KRLParserNULL, KRLParserTRUE, KRLParserFALSE, KRLParserLPAREN, KRLParserMINUS, KRLParserDURATION, KRLParserFLOAT, KRLParserINT, KRLParserSTRING, KRLParserIDENT, KRLParserBACKQUOTED:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(342)
			p.CmpExpr()
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// ICmpExprContext is an interface to support dynamic dispatch.
type ICmpExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AddExpr() IAddExprContext
	CmpTail() ICmpTailContext

	// IsCmpExprContext differentiates from other interfaces.
	IsCmpExprContext()
}

type CmpExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyCmpExprContext() *CmpExprContext {
	var p = new(CmpExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_cmpExpr
	return p
}

func InitEmptyCmpExprContext(p *CmpExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_cmpExpr
}

func (*CmpExprContext) IsCmpExprContext() {}

func NewCmpExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *CmpExprContext {
	var p = new(CmpExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_cmpExpr

	return p
}

func (s *CmpExprContext) GetParser() antlr.Parser { return s.parser }

func (s *CmpExprContext) AddExpr() IAddExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IAddExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IAddExprContext)
}

func (s *CmpExprContext) CmpTail() ICmpTailContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(ICmpTailContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(ICmpTailContext)
}

func (s *CmpExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *CmpExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) CmpExpr() (localctx ICmpExprContext) {
	localctx = NewCmpExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 52, KRLParserRULE_cmpExpr)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(345)
		p.AddExpr()
	}
	p.SetState(347)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	if (int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&35473543646937088) != 0 {
		{
			p.SetState(346)
			p.CmpTail()
		}

	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// ICmpTailContext is an interface to support dynamic dispatch.
type ICmpTailContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser
	// IsCmpTailContext differentiates from other interfaces.
	IsCmpTailContext()
}

type CmpTailContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyCmpTailContext() *CmpTailContext {
	var p = new(CmpTailContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_cmpTail
	return p
}

func InitEmptyCmpTailContext(p *CmpTailContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_cmpTail
}

func (*CmpTailContext) IsCmpTailContext() {}

func NewCmpTailContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *CmpTailContext {
	var p = new(CmpTailContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_cmpTail

	return p
}

func (s *CmpTailContext) GetParser() antlr.Parser { return s.parser }

func (s *CmpTailContext) CopyAll(ctx *CmpTailContext) {
	s.CopyFrom(&ctx.BaseParserRuleContext)
}

func (s *CmpTailContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *CmpTailContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

type CompareContext struct {
	CmpTailContext
	op antlr.Token
}

func NewCompareContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *CompareContext {
	var p = new(CompareContext)

	InitEmptyCmpTailContext(&p.CmpTailContext)
	p.parser = parser
	p.CopyAll(ctx.(*CmpTailContext))

	return p
}

func (s *CompareContext) GetOp() antlr.Token { return s.op }

func (s *CompareContext) SetOp(v antlr.Token) { s.op = v }

func (s *CompareContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *CompareContext) AddExpr() IAddExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IAddExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IAddExprContext)
}

func (s *CompareContext) EQ() antlr.TerminalNode {
	return s.GetToken(KRLParserEQ, 0)
}

func (s *CompareContext) NE() antlr.TerminalNode {
	return s.GetToken(KRLParserNE, 0)
}

func (s *CompareContext) LT() antlr.TerminalNode {
	return s.GetToken(KRLParserLT, 0)
}

func (s *CompareContext) LE() antlr.TerminalNode {
	return s.GetToken(KRLParserLE, 0)
}

func (s *CompareContext) GT() antlr.TerminalNode {
	return s.GetToken(KRLParserGT, 0)
}

func (s *CompareContext) GE() antlr.TerminalNode {
	return s.GetToken(KRLParserGE, 0)
}

type InListContext struct {
	CmpTailContext
}

func NewInListContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *InListContext {
	var p = new(InListContext)

	InitEmptyCmpTailContext(&p.CmpTailContext)
	p.parser = parser
	p.CopyAll(ctx.(*CmpTailContext))

	return p
}

func (s *InListContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *InListContext) IN() antlr.TerminalNode {
	return s.GetToken(KRLParserIN, 0)
}

func (s *InListContext) LBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACK, 0)
}

func (s *InListContext) AllExpr() []IExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IExprContext); ok {
			len++
		}
	}

	tst := make([]IExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IExprContext); ok {
			tst[i] = t.(IExprContext)
			i++
		}
	}

	return tst
}

func (s *InListContext) Expr(i int) IExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *InListContext) RBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACK, 0)
}

func (s *InListContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *InListContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

type BetweenContext struct {
	CmpTailContext
}

func NewBetweenContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *BetweenContext {
	var p = new(BetweenContext)

	InitEmptyCmpTailContext(&p.CmpTailContext)
	p.parser = parser
	p.CopyAll(ctx.(*CmpTailContext))

	return p
}

func (s *BetweenContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *BetweenContext) BETWEEN() antlr.TerminalNode {
	return s.GetToken(KRLParserBETWEEN, 0)
}

func (s *BetweenContext) AllAddExpr() []IAddExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IAddExprContext); ok {
			len++
		}
	}

	tst := make([]IAddExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IAddExprContext); ok {
			tst[i] = t.(IAddExprContext)
			i++
		}
	}

	return tst
}

func (s *BetweenContext) AddExpr(i int) IAddExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IAddExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IAddExprContext)
}

func (s *BetweenContext) AND() antlr.TerminalNode {
	return s.GetToken(KRLParserAND, 0)
}

type IsNullContext struct {
	CmpTailContext
}

func NewIsNullContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *IsNullContext {
	var p = new(IsNullContext)

	InitEmptyCmpTailContext(&p.CmpTailContext)
	p.parser = parser
	p.CopyAll(ctx.(*CmpTailContext))

	return p
}

func (s *IsNullContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *IsNullContext) IS() antlr.TerminalNode {
	return s.GetToken(KRLParserIS, 0)
}

func (s *IsNullContext) NULL() antlr.TerminalNode {
	return s.GetToken(KRLParserNULL, 0)
}

func (s *IsNullContext) NOT() antlr.TerminalNode {
	return s.GetToken(KRLParserNOT, 0)
}

func (p *KRLParser) CmpTail() (localctx ICmpTailContext) {
	localctx = NewCmpTailContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 54, KRLParserRULE_cmpTail)
	var _la int

	p.SetState(373)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserEQ, KRLParserNE, KRLParserLE, KRLParserGE, KRLParserLT, KRLParserGT:
		localctx = NewCompareContext(p, localctx)
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(349)

			var _lt = p.GetTokenStream().LT(1)

			localctx.(*CompareContext).op = _lt

			_la = p.GetTokenStream().LA(1)

			if !((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&35465847065542656) != 0) {
				var _ri = p.GetErrorHandler().RecoverInline(p)

				localctx.(*CompareContext).op = _ri
			} else {
				p.GetErrorHandler().ReportMatch(p)
				p.Consume()
			}
		}
		{
			p.SetState(350)
			p.AddExpr()
		}

	case KRLParserIN:
		localctx = NewInListContext(p, localctx)
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(351)
			p.Match(KRLParserIN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(352)
			p.Match(KRLParserLBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(353)
			p.Expr()
		}
		p.SetState(358)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		for _la == KRLParserCOMMA {
			{
				p.SetState(354)
				p.Match(KRLParserCOMMA)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}
			{
				p.SetState(355)
				p.Expr()
			}

			p.SetState(360)
			p.GetErrorHandler().Sync(p)
			if p.HasError() {
				goto errorExit
			}
			_la = p.GetTokenStream().LA(1)
		}
		{
			p.SetState(361)
			p.Match(KRLParserRBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserBETWEEN:
		localctx = NewBetweenContext(p, localctx)
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(363)
			p.Match(KRLParserBETWEEN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(364)
			p.AddExpr()
		}
		{
			p.SetState(365)
			p.Match(KRLParserAND)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(366)
			p.AddExpr()
		}

	case KRLParserIS:
		localctx = NewIsNullContext(p, localctx)
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(368)
			p.Match(KRLParserIS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		p.SetState(370)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if _la == KRLParserNOT {
			{
				p.SetState(369)
				p.Match(KRLParserNOT)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}

		}
		{
			p.SetState(372)
			p.Match(KRLParserNULL)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IAddExprContext is an interface to support dynamic dispatch.
type IAddExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllMulExpr() []IMulExprContext
	MulExpr(i int) IMulExprContext
	AllPLUS() []antlr.TerminalNode
	PLUS(i int) antlr.TerminalNode
	AllMINUS() []antlr.TerminalNode
	MINUS(i int) antlr.TerminalNode

	// IsAddExprContext differentiates from other interfaces.
	IsAddExprContext()
}

type AddExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyAddExprContext() *AddExprContext {
	var p = new(AddExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_addExpr
	return p
}

func InitEmptyAddExprContext(p *AddExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_addExpr
}

func (*AddExprContext) IsAddExprContext() {}

func NewAddExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *AddExprContext {
	var p = new(AddExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_addExpr

	return p
}

func (s *AddExprContext) GetParser() antlr.Parser { return s.parser }

func (s *AddExprContext) AllMulExpr() []IMulExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IMulExprContext); ok {
			len++
		}
	}

	tst := make([]IMulExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IMulExprContext); ok {
			tst[i] = t.(IMulExprContext)
			i++
		}
	}

	return tst
}

func (s *AddExprContext) MulExpr(i int) IMulExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IMulExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IMulExprContext)
}

func (s *AddExprContext) AllPLUS() []antlr.TerminalNode {
	return s.GetTokens(KRLParserPLUS)
}

func (s *AddExprContext) PLUS(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserPLUS, i)
}

func (s *AddExprContext) AllMINUS() []antlr.TerminalNode {
	return s.GetTokens(KRLParserMINUS)
}

func (s *AddExprContext) MINUS(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserMINUS, i)
}

func (s *AddExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *AddExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) AddExpr() (localctx IAddExprContext) {
	localctx = NewAddExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 56, KRLParserRULE_addExpr)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(375)
		p.MulExpr()
	}
	p.SetState(380)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserPLUS || _la == KRLParserMINUS {
		{
			p.SetState(376)
			_la = p.GetTokenStream().LA(1)

			if !(_la == KRLParserPLUS || _la == KRLParserMINUS) {
				p.GetErrorHandler().RecoverInline(p)
			} else {
				p.GetErrorHandler().ReportMatch(p)
				p.Consume()
			}
		}
		{
			p.SetState(377)
			p.MulExpr()
		}

		p.SetState(382)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IMulExprContext is an interface to support dynamic dispatch.
type IMulExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	AllUnaryExpr() []IUnaryExprContext
	UnaryExpr(i int) IUnaryExprContext
	AllSTAR() []antlr.TerminalNode
	STAR(i int) antlr.TerminalNode
	AllSLASH() []antlr.TerminalNode
	SLASH(i int) antlr.TerminalNode
	AllPERCENT() []antlr.TerminalNode
	PERCENT(i int) antlr.TerminalNode

	// IsMulExprContext differentiates from other interfaces.
	IsMulExprContext()
}

type MulExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyMulExprContext() *MulExprContext {
	var p = new(MulExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_mulExpr
	return p
}

func InitEmptyMulExprContext(p *MulExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_mulExpr
}

func (*MulExprContext) IsMulExprContext() {}

func NewMulExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *MulExprContext {
	var p = new(MulExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_mulExpr

	return p
}

func (s *MulExprContext) GetParser() antlr.Parser { return s.parser }

func (s *MulExprContext) AllUnaryExpr() []IUnaryExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IUnaryExprContext); ok {
			len++
		}
	}

	tst := make([]IUnaryExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IUnaryExprContext); ok {
			tst[i] = t.(IUnaryExprContext)
			i++
		}
	}

	return tst
}

func (s *MulExprContext) UnaryExpr(i int) IUnaryExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IUnaryExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IUnaryExprContext)
}

func (s *MulExprContext) AllSTAR() []antlr.TerminalNode {
	return s.GetTokens(KRLParserSTAR)
}

func (s *MulExprContext) STAR(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserSTAR, i)
}

func (s *MulExprContext) AllSLASH() []antlr.TerminalNode {
	return s.GetTokens(KRLParserSLASH)
}

func (s *MulExprContext) SLASH(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserSLASH, i)
}

func (s *MulExprContext) AllPERCENT() []antlr.TerminalNode {
	return s.GetTokens(KRLParserPERCENT)
}

func (s *MulExprContext) PERCENT(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserPERCENT, i)
}

func (s *MulExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *MulExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) MulExpr() (localctx IMulExprContext) {
	localctx = NewMulExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 58, KRLParserRULE_mulExpr)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(383)
		p.UnaryExpr()
	}
	p.SetState(388)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for (int64((_la-68)) & ^0x3f) == 0 && ((int64(1)<<(_la-68))&7) != 0 {
		{
			p.SetState(384)
			_la = p.GetTokenStream().LA(1)

			if !((int64((_la-68)) & ^0x3f) == 0 && ((int64(1)<<(_la-68))&7) != 0) {
				p.GetErrorHandler().RecoverInline(p)
			} else {
				p.GetErrorHandler().ReportMatch(p)
				p.Consume()
			}
		}
		{
			p.SetState(385)
			p.UnaryExpr()
		}

		p.SetState(390)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IUnaryExprContext is an interface to support dynamic dispatch.
type IUnaryExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	MINUS() antlr.TerminalNode
	UnaryExpr() IUnaryExprContext
	PostfixExpr() IPostfixExprContext

	// IsUnaryExprContext differentiates from other interfaces.
	IsUnaryExprContext()
}

type UnaryExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyUnaryExprContext() *UnaryExprContext {
	var p = new(UnaryExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_unaryExpr
	return p
}

func InitEmptyUnaryExprContext(p *UnaryExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_unaryExpr
}

func (*UnaryExprContext) IsUnaryExprContext() {}

func NewUnaryExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *UnaryExprContext {
	var p = new(UnaryExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_unaryExpr

	return p
}

func (s *UnaryExprContext) GetParser() antlr.Parser { return s.parser }

func (s *UnaryExprContext) MINUS() antlr.TerminalNode {
	return s.GetToken(KRLParserMINUS, 0)
}

func (s *UnaryExprContext) UnaryExpr() IUnaryExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IUnaryExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IUnaryExprContext)
}

func (s *UnaryExprContext) PostfixExpr() IPostfixExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IPostfixExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IPostfixExprContext)
}

func (s *UnaryExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *UnaryExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) UnaryExpr() (localctx IUnaryExprContext) {
	localctx = NewUnaryExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 60, KRLParserRULE_unaryExpr)
	p.SetState(394)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserMINUS:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(391)
			p.Match(KRLParserMINUS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(392)
			p.UnaryExpr()
		}

	case KRLParserSTREAM, KRLParserTABLE, KRLParserFEATURE, KRLParserRULE, KRLParserID, KRLParserTIMESTAMP, KRLParserWATERMARK, KRLParserLATENESS, KRLParserKEY, KRLParserOF, KRLParserBY, KRLParserOVER, KRLParserOFFSET, KRLParserEMIT, KRLParserEVERY, KRLParserSLIDING, KRLParserTUMBLING, KRLParserHOPPING, KRLParserSESSION, KRLParserSEVERITY, KRLParserPATTERN, KRLParserWITHIN, KRLParserGAP, KRLParserSKIP_, KRLParserTIMEOUT, KRLParserTO, KRLParserNO_SKIP, KRLParserTO_NEXT, KRLParserPAST_LAST, KRLParserTO_FIRST, KRLParserTO_LAST, KRLParserGREEDY, KRLParserCONSECUTIVE, KRLParserCOMBINATIONS, KRLParserOPTIONAL, KRLParserUNTIL, KRLParserNULL, KRLParserTRUE, KRLParserFALSE, KRLParserLPAREN, KRLParserDURATION, KRLParserFLOAT, KRLParserINT, KRLParserSTRING, KRLParserIDENT, KRLParserBACKQUOTED:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(393)
			p.PostfixExpr()
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IPostfixExprContext is an interface to support dynamic dispatch.
type IPostfixExprContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	Primary() IPrimaryContext
	AllPostfix() []IPostfixContext
	Postfix(i int) IPostfixContext

	// IsPostfixExprContext differentiates from other interfaces.
	IsPostfixExprContext()
}

type PostfixExprContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyPostfixExprContext() *PostfixExprContext {
	var p = new(PostfixExprContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_postfixExpr
	return p
}

func InitEmptyPostfixExprContext(p *PostfixExprContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_postfixExpr
}

func (*PostfixExprContext) IsPostfixExprContext() {}

func NewPostfixExprContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *PostfixExprContext {
	var p = new(PostfixExprContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_postfixExpr

	return p
}

func (s *PostfixExprContext) GetParser() antlr.Parser { return s.parser }

func (s *PostfixExprContext) Primary() IPrimaryContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IPrimaryContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IPrimaryContext)
}

func (s *PostfixExprContext) AllPostfix() []IPostfixContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IPostfixContext); ok {
			len++
		}
	}

	tst := make([]IPostfixContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IPostfixContext); ok {
			tst[i] = t.(IPostfixContext)
			i++
		}
	}

	return tst
}

func (s *PostfixExprContext) Postfix(i int) IPostfixContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IPostfixContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IPostfixContext)
}

func (s *PostfixExprContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *PostfixExprContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) PostfixExpr() (localctx IPostfixExprContext) {
	localctx = NewPostfixExprContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 62, KRLParserRULE_postfixExpr)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(396)
		p.Primary()
	}
	p.SetState(400)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}
	_la = p.GetTokenStream().LA(1)

	for _la == KRLParserLBRACK || _la == KRLParserDOT {
		{
			p.SetState(397)
			p.Postfix()
		}

		p.SetState(402)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IPostfixContext is an interface to support dynamic dispatch.
type IPostfixContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser
	// IsPostfixContext differentiates from other interfaces.
	IsPostfixContext()
}

type PostfixContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyPostfixContext() *PostfixContext {
	var p = new(PostfixContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_postfix
	return p
}

func InitEmptyPostfixContext(p *PostfixContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_postfix
}

func (*PostfixContext) IsPostfixContext() {}

func NewPostfixContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *PostfixContext {
	var p = new(PostfixContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_postfix

	return p
}

func (s *PostfixContext) GetParser() antlr.Parser { return s.parser }

func (s *PostfixContext) CopyAll(ctx *PostfixContext) {
	s.CopyFrom(&ctx.BaseParserRuleContext)
}

func (s *PostfixContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *PostfixContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

type SelectorContext struct {
	PostfixContext
}

func NewSelectorContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *SelectorContext {
	var p = new(SelectorContext)

	InitEmptyPostfixContext(&p.PostfixContext)
	p.parser = parser
	p.CopyAll(ctx.(*PostfixContext))

	return p
}

func (s *SelectorContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *SelectorContext) DOT() antlr.TerminalNode {
	return s.GetToken(KRLParserDOT, 0)
}

func (s *SelectorContext) Name() INameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(INameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(INameContext)
}

type IndexContext struct {
	PostfixContext
}

func NewIndexContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *IndexContext {
	var p = new(IndexContext)

	InitEmptyPostfixContext(&p.PostfixContext)
	p.parser = parser
	p.CopyAll(ctx.(*PostfixContext))

	return p
}

func (s *IndexContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *IndexContext) LBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserLBRACK, 0)
}

func (s *IndexContext) AllExpr() []IExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IExprContext); ok {
			len++
		}
	}

	tst := make([]IExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IExprContext); ok {
			tst[i] = t.(IExprContext)
			i++
		}
	}

	return tst
}

func (s *IndexContext) Expr(i int) IExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *IndexContext) RBRACK() antlr.TerminalNode {
	return s.GetToken(KRLParserRBRACK, 0)
}

func (s *IndexContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *IndexContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

func (p *KRLParser) Postfix() (localctx IPostfixContext) {
	localctx = NewPostfixContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 64, KRLParserRULE_postfix)
	var _la int

	p.SetState(416)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserDOT:
		localctx = NewSelectorContext(p, localctx)
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(403)
			p.Match(KRLParserDOT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(404)
			p.Name()
		}

	case KRLParserLBRACK:
		localctx = NewIndexContext(p, localctx)
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(405)
			p.Match(KRLParserLBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(406)
			p.Expr()
		}
		p.SetState(411)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		for _la == KRLParserCOMMA {
			{
				p.SetState(407)
				p.Match(KRLParserCOMMA)
				if p.HasError() {
					// Recognition error - abort rule
					goto errorExit
				}
			}
			{
				p.SetState(408)
				p.Expr()
			}

			p.SetState(413)
			p.GetErrorHandler().Sync(p)
			if p.HasError() {
				goto errorExit
			}
			_la = p.GetTokenStream().LA(1)
		}
		{
			p.SetState(414)
			p.Match(KRLParserRBRACK)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IPrimaryContext is an interface to support dynamic dispatch.
type IPrimaryContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser
	// IsPrimaryContext differentiates from other interfaces.
	IsPrimaryContext()
}

type PrimaryContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyPrimaryContext() *PrimaryContext {
	var p = new(PrimaryContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_primary
	return p
}

func InitEmptyPrimaryContext(p *PrimaryContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_primary
}

func (*PrimaryContext) IsPrimaryContext() {}

func NewPrimaryContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *PrimaryContext {
	var p = new(PrimaryContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_primary

	return p
}

func (s *PrimaryContext) GetParser() antlr.Parser { return s.parser }

func (s *PrimaryContext) CopyAll(ctx *PrimaryContext) {
	s.CopyFrom(&ctx.BaseParserRuleContext)
}

func (s *PrimaryContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *PrimaryContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

type LiteralPrimaryContext struct {
	PrimaryContext
}

func NewLiteralPrimaryContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *LiteralPrimaryContext {
	var p = new(LiteralPrimaryContext)

	InitEmptyPrimaryContext(&p.PrimaryContext)
	p.parser = parser
	p.CopyAll(ctx.(*PrimaryContext))

	return p
}

func (s *LiteralPrimaryContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *LiteralPrimaryContext) Literal() ILiteralContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(ILiteralContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(ILiteralContext)
}

type CallContext struct {
	PrimaryContext
}

func NewCallContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *CallContext {
	var p = new(CallContext)

	InitEmptyPrimaryContext(&p.PrimaryContext)
	p.parser = parser
	p.CopyAll(ctx.(*PrimaryContext))

	return p
}

func (s *CallContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *CallContext) ExprName() IExprNameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprNameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprNameContext)
}

func (s *CallContext) LPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserLPAREN, 0)
}

func (s *CallContext) RPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserRPAREN, 0)
}

func (s *CallContext) AllExpr() []IExprContext {
	children := s.GetChildren()
	len := 0
	for _, ctx := range children {
		if _, ok := ctx.(IExprContext); ok {
			len++
		}
	}

	tst := make([]IExprContext, len)
	i := 0
	for _, ctx := range children {
		if t, ok := ctx.(IExprContext); ok {
			tst[i] = t.(IExprContext)
			i++
		}
	}

	return tst
}

func (s *CallContext) Expr(i int) IExprContext {
	var t antlr.RuleContext
	j := 0
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			if j == i {
				t = ctx.(antlr.RuleContext)
				break
			}
			j++
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *CallContext) AllCOMMA() []antlr.TerminalNode {
	return s.GetTokens(KRLParserCOMMA)
}

func (s *CallContext) COMMA(i int) antlr.TerminalNode {
	return s.GetToken(KRLParserCOMMA, i)
}

type NamePrimaryContext struct {
	PrimaryContext
}

func NewNamePrimaryContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *NamePrimaryContext {
	var p = new(NamePrimaryContext)

	InitEmptyPrimaryContext(&p.PrimaryContext)
	p.parser = parser
	p.CopyAll(ctx.(*PrimaryContext))

	return p
}

func (s *NamePrimaryContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *NamePrimaryContext) ExprName() IExprNameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprNameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprNameContext)
}

type ParenContext struct {
	PrimaryContext
}

func NewParenContext(parser antlr.Parser, ctx antlr.ParserRuleContext) *ParenContext {
	var p = new(ParenContext)

	InitEmptyPrimaryContext(&p.PrimaryContext)
	p.parser = parser
	p.CopyAll(ctx.(*PrimaryContext))

	return p
}

func (s *ParenContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ParenContext) LPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserLPAREN, 0)
}

func (s *ParenContext) Expr() IExprContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprContext)
}

func (s *ParenContext) RPAREN() antlr.TerminalNode {
	return s.GetToken(KRLParserRPAREN, 0)
}

func (p *KRLParser) Primary() (localctx IPrimaryContext) {
	localctx = NewPrimaryContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 66, KRLParserRULE_primary)
	var _la int

	p.SetState(438)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetInterpreter().AdaptivePredict(p.BaseParser, p.GetTokenStream(), 49, p.GetParserRuleContext()) {
	case 1:
		localctx = NewLiteralPrimaryContext(p, localctx)
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(418)
			p.Literal()
		}

	case 2:
		localctx = NewCallContext(p, localctx)
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(419)
			p.ExprName()
		}
		{
			p.SetState(420)
			p.Match(KRLParserLPAREN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		p.SetState(429)
		p.GetErrorHandler().Sync(p)
		if p.HasError() {
			goto errorExit
		}
		_la = p.GetTokenStream().LA(1)

		if ((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&72119441566990334) != 0) || ((int64((_la-67)) & ^0x3f) == 0 && ((int64(1)<<(_la-67))&1009) != 0) {
			{
				p.SetState(421)
				p.Expr()
			}
			p.SetState(426)
			p.GetErrorHandler().Sync(p)
			if p.HasError() {
				goto errorExit
			}
			_la = p.GetTokenStream().LA(1)

			for _la == KRLParserCOMMA {
				{
					p.SetState(422)
					p.Match(KRLParserCOMMA)
					if p.HasError() {
						// Recognition error - abort rule
						goto errorExit
					}
				}
				{
					p.SetState(423)
					p.Expr()
				}

				p.SetState(428)
				p.GetErrorHandler().Sync(p)
				if p.HasError() {
					goto errorExit
				}
				_la = p.GetTokenStream().LA(1)
			}

		}
		{
			p.SetState(431)
			p.Match(KRLParserRPAREN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case 3:
		localctx = NewNamePrimaryContext(p, localctx)
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(433)
			p.ExprName()
		}

	case 4:
		localctx = NewParenContext(p, localctx)
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(434)
			p.Match(KRLParserLPAREN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}
		{
			p.SetState(435)
			p.Expr()
		}
		{
			p.SetState(436)
			p.Match(KRLParserRPAREN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case antlr.ATNInvalidAltNumber:
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// ILiteralContext is an interface to support dynamic dispatch.
type ILiteralContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	INT() antlr.TerminalNode
	FLOAT() antlr.TerminalNode
	STRING() antlr.TerminalNode
	DURATION() antlr.TerminalNode
	TRUE() antlr.TerminalNode
	FALSE() antlr.TerminalNode
	NULL() antlr.TerminalNode

	// IsLiteralContext differentiates from other interfaces.
	IsLiteralContext()
}

type LiteralContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyLiteralContext() *LiteralContext {
	var p = new(LiteralContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_literal
	return p
}

func InitEmptyLiteralContext(p *LiteralContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_literal
}

func (*LiteralContext) IsLiteralContext() {}

func NewLiteralContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *LiteralContext {
	var p = new(LiteralContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_literal

	return p
}

func (s *LiteralContext) GetParser() antlr.Parser { return s.parser }

func (s *LiteralContext) INT() antlr.TerminalNode {
	return s.GetToken(KRLParserINT, 0)
}

func (s *LiteralContext) FLOAT() antlr.TerminalNode {
	return s.GetToken(KRLParserFLOAT, 0)
}

func (s *LiteralContext) STRING() antlr.TerminalNode {
	return s.GetToken(KRLParserSTRING, 0)
}

func (s *LiteralContext) DURATION() antlr.TerminalNode {
	return s.GetToken(KRLParserDURATION, 0)
}

func (s *LiteralContext) TRUE() antlr.TerminalNode {
	return s.GetToken(KRLParserTRUE, 0)
}

func (s *LiteralContext) FALSE() antlr.TerminalNode {
	return s.GetToken(KRLParserFALSE, 0)
}

func (s *LiteralContext) NULL() antlr.TerminalNode {
	return s.GetToken(KRLParserNULL, 0)
}

func (s *LiteralContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *LiteralContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Literal() (localctx ILiteralContext) {
	localctx = NewLiteralContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 68, KRLParserRULE_literal)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(440)
		_la = p.GetTokenStream().LA(1)

		if !((int64((_la-43)) & ^0x3f) == 0 && ((int64(1)<<(_la-43))&4026531847) != 0) {
			p.GetErrorHandler().RecoverInline(p)
		} else {
			p.GetErrorHandler().ReportMatch(p)
			p.Consume()
		}
	}

	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// IExprNameContext is an interface to support dynamic dispatch.
type IExprNameContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	IDENT() antlr.TerminalNode
	BACKQUOTED() antlr.TerminalNode
	STREAM() antlr.TerminalNode
	TABLE() antlr.TerminalNode
	FEATURE() antlr.TerminalNode
	RULE() antlr.TerminalNode
	ID() antlr.TerminalNode
	TIMESTAMP() antlr.TerminalNode
	WATERMARK() antlr.TerminalNode
	LATENESS() antlr.TerminalNode
	KEY() antlr.TerminalNode
	OF() antlr.TerminalNode
	BY() antlr.TerminalNode
	OVER() antlr.TerminalNode
	OFFSET() antlr.TerminalNode
	EMIT() antlr.TerminalNode
	EVERY() antlr.TerminalNode
	SLIDING() antlr.TerminalNode
	TUMBLING() antlr.TerminalNode
	HOPPING() antlr.TerminalNode
	SESSION() antlr.TerminalNode
	SEVERITY() antlr.TerminalNode
	PATTERN() antlr.TerminalNode
	WITHIN() antlr.TerminalNode
	GAP() antlr.TerminalNode
	SKIP_() antlr.TerminalNode
	TIMEOUT() antlr.TerminalNode
	TO() antlr.TerminalNode
	NO_SKIP() antlr.TerminalNode
	TO_NEXT() antlr.TerminalNode
	PAST_LAST() antlr.TerminalNode
	TO_FIRST() antlr.TerminalNode
	TO_LAST() antlr.TerminalNode
	GREEDY() antlr.TerminalNode
	CONSECUTIVE() antlr.TerminalNode
	COMBINATIONS() antlr.TerminalNode
	OPTIONAL() antlr.TerminalNode
	UNTIL() antlr.TerminalNode

	// IsExprNameContext differentiates from other interfaces.
	IsExprNameContext()
}

type ExprNameContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyExprNameContext() *ExprNameContext {
	var p = new(ExprNameContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_exprName
	return p
}

func InitEmptyExprNameContext(p *ExprNameContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_exprName
}

func (*ExprNameContext) IsExprNameContext() {}

func NewExprNameContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *ExprNameContext {
	var p = new(ExprNameContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_exprName

	return p
}

func (s *ExprNameContext) GetParser() antlr.Parser { return s.parser }

func (s *ExprNameContext) IDENT() antlr.TerminalNode {
	return s.GetToken(KRLParserIDENT, 0)
}

func (s *ExprNameContext) BACKQUOTED() antlr.TerminalNode {
	return s.GetToken(KRLParserBACKQUOTED, 0)
}

func (s *ExprNameContext) STREAM() antlr.TerminalNode {
	return s.GetToken(KRLParserSTREAM, 0)
}

func (s *ExprNameContext) TABLE() antlr.TerminalNode {
	return s.GetToken(KRLParserTABLE, 0)
}

func (s *ExprNameContext) FEATURE() antlr.TerminalNode {
	return s.GetToken(KRLParserFEATURE, 0)
}

func (s *ExprNameContext) RULE() antlr.TerminalNode {
	return s.GetToken(KRLParserRULE, 0)
}

func (s *ExprNameContext) ID() antlr.TerminalNode {
	return s.GetToken(KRLParserID, 0)
}

func (s *ExprNameContext) TIMESTAMP() antlr.TerminalNode {
	return s.GetToken(KRLParserTIMESTAMP, 0)
}

func (s *ExprNameContext) WATERMARK() antlr.TerminalNode {
	return s.GetToken(KRLParserWATERMARK, 0)
}

func (s *ExprNameContext) LATENESS() antlr.TerminalNode {
	return s.GetToken(KRLParserLATENESS, 0)
}

func (s *ExprNameContext) KEY() antlr.TerminalNode {
	return s.GetToken(KRLParserKEY, 0)
}

func (s *ExprNameContext) OF() antlr.TerminalNode {
	return s.GetToken(KRLParserOF, 0)
}

func (s *ExprNameContext) BY() antlr.TerminalNode {
	return s.GetToken(KRLParserBY, 0)
}

func (s *ExprNameContext) OVER() antlr.TerminalNode {
	return s.GetToken(KRLParserOVER, 0)
}

func (s *ExprNameContext) OFFSET() antlr.TerminalNode {
	return s.GetToken(KRLParserOFFSET, 0)
}

func (s *ExprNameContext) EMIT() antlr.TerminalNode {
	return s.GetToken(KRLParserEMIT, 0)
}

func (s *ExprNameContext) EVERY() antlr.TerminalNode {
	return s.GetToken(KRLParserEVERY, 0)
}

func (s *ExprNameContext) SLIDING() antlr.TerminalNode {
	return s.GetToken(KRLParserSLIDING, 0)
}

func (s *ExprNameContext) TUMBLING() antlr.TerminalNode {
	return s.GetToken(KRLParserTUMBLING, 0)
}

func (s *ExprNameContext) HOPPING() antlr.TerminalNode {
	return s.GetToken(KRLParserHOPPING, 0)
}

func (s *ExprNameContext) SESSION() antlr.TerminalNode {
	return s.GetToken(KRLParserSESSION, 0)
}

func (s *ExprNameContext) SEVERITY() antlr.TerminalNode {
	return s.GetToken(KRLParserSEVERITY, 0)
}

func (s *ExprNameContext) PATTERN() antlr.TerminalNode {
	return s.GetToken(KRLParserPATTERN, 0)
}

func (s *ExprNameContext) WITHIN() antlr.TerminalNode {
	return s.GetToken(KRLParserWITHIN, 0)
}

func (s *ExprNameContext) GAP() antlr.TerminalNode {
	return s.GetToken(KRLParserGAP, 0)
}

func (s *ExprNameContext) SKIP_() antlr.TerminalNode {
	return s.GetToken(KRLParserSKIP_, 0)
}

func (s *ExprNameContext) TIMEOUT() antlr.TerminalNode {
	return s.GetToken(KRLParserTIMEOUT, 0)
}

func (s *ExprNameContext) TO() antlr.TerminalNode {
	return s.GetToken(KRLParserTO, 0)
}

func (s *ExprNameContext) NO_SKIP() antlr.TerminalNode {
	return s.GetToken(KRLParserNO_SKIP, 0)
}

func (s *ExprNameContext) TO_NEXT() antlr.TerminalNode {
	return s.GetToken(KRLParserTO_NEXT, 0)
}

func (s *ExprNameContext) PAST_LAST() antlr.TerminalNode {
	return s.GetToken(KRLParserPAST_LAST, 0)
}

func (s *ExprNameContext) TO_FIRST() antlr.TerminalNode {
	return s.GetToken(KRLParserTO_FIRST, 0)
}

func (s *ExprNameContext) TO_LAST() antlr.TerminalNode {
	return s.GetToken(KRLParserTO_LAST, 0)
}

func (s *ExprNameContext) GREEDY() antlr.TerminalNode {
	return s.GetToken(KRLParserGREEDY, 0)
}

func (s *ExprNameContext) CONSECUTIVE() antlr.TerminalNode {
	return s.GetToken(KRLParserCONSECUTIVE, 0)
}

func (s *ExprNameContext) COMBINATIONS() antlr.TerminalNode {
	return s.GetToken(KRLParserCOMBINATIONS, 0)
}

func (s *ExprNameContext) OPTIONAL() antlr.TerminalNode {
	return s.GetToken(KRLParserOPTIONAL, 0)
}

func (s *ExprNameContext) UNTIL() antlr.TerminalNode {
	return s.GetToken(KRLParserUNTIL, 0)
}

func (s *ExprNameContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *ExprNameContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) ExprName() (localctx IExprNameContext) {
	localctx = NewExprNameContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 70, KRLParserRULE_exprName)
	var _la int

	p.EnterOuterAlt(localctx, 1)
	{
		p.SetState(442)
		_la = p.GetTokenStream().LA(1)

		if !(((int64(_la) & ^0x3f) == 0 && ((int64(1)<<_la)&137438953470) != 0) || _la == KRLParserIDENT || _la == KRLParserBACKQUOTED) {
			p.GetErrorHandler().RecoverInline(p)
		} else {
			p.GetErrorHandler().ReportMatch(p)
			p.Consume()
		}
	}

	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}

// INameContext is an interface to support dynamic dispatch.
type INameContext interface {
	antlr.ParserRuleContext

	// GetParser returns the parser.
	GetParser() antlr.Parser

	// Getter signatures
	ExprName() IExprNameContext
	NOT() antlr.TerminalNode
	AND() antlr.TerminalNode
	OR() antlr.TerminalNode
	IN() antlr.TerminalNode
	BETWEEN() antlr.TerminalNode
	IS() antlr.TerminalNode
	NULL() antlr.TerminalNode
	TRUE() antlr.TerminalNode
	FALSE() antlr.TerminalNode

	// IsNameContext differentiates from other interfaces.
	IsNameContext()
}

type NameContext struct {
	antlr.BaseParserRuleContext
	parser antlr.Parser
}

func NewEmptyNameContext() *NameContext {
	var p = new(NameContext)
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_name
	return p
}

func InitEmptyNameContext(p *NameContext) {
	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, nil, -1)
	p.RuleIndex = KRLParserRULE_name
}

func (*NameContext) IsNameContext() {}

func NewNameContext(parser antlr.Parser, parent antlr.ParserRuleContext, invokingState int) *NameContext {
	var p = new(NameContext)

	antlr.InitBaseParserRuleContext(&p.BaseParserRuleContext, parent, invokingState)

	p.parser = parser
	p.RuleIndex = KRLParserRULE_name

	return p
}

func (s *NameContext) GetParser() antlr.Parser { return s.parser }

func (s *NameContext) ExprName() IExprNameContext {
	var t antlr.RuleContext
	for _, ctx := range s.GetChildren() {
		if _, ok := ctx.(IExprNameContext); ok {
			t = ctx.(antlr.RuleContext)
			break
		}
	}

	if t == nil {
		return nil
	}

	return t.(IExprNameContext)
}

func (s *NameContext) NOT() antlr.TerminalNode {
	return s.GetToken(KRLParserNOT, 0)
}

func (s *NameContext) AND() antlr.TerminalNode {
	return s.GetToken(KRLParserAND, 0)
}

func (s *NameContext) OR() antlr.TerminalNode {
	return s.GetToken(KRLParserOR, 0)
}

func (s *NameContext) IN() antlr.TerminalNode {
	return s.GetToken(KRLParserIN, 0)
}

func (s *NameContext) BETWEEN() antlr.TerminalNode {
	return s.GetToken(KRLParserBETWEEN, 0)
}

func (s *NameContext) IS() antlr.TerminalNode {
	return s.GetToken(KRLParserIS, 0)
}

func (s *NameContext) NULL() antlr.TerminalNode {
	return s.GetToken(KRLParserNULL, 0)
}

func (s *NameContext) TRUE() antlr.TerminalNode {
	return s.GetToken(KRLParserTRUE, 0)
}

func (s *NameContext) FALSE() antlr.TerminalNode {
	return s.GetToken(KRLParserFALSE, 0)
}

func (s *NameContext) GetRuleContext() antlr.RuleContext {
	return s
}

func (s *NameContext) ToStringTree(ruleNames []string, recog antlr.Recognizer) string {
	return antlr.TreesStringTree(s, ruleNames, recog)
}

func (p *KRLParser) Name() (localctx INameContext) {
	localctx = NewNameContext(p, p.GetParserRuleContext(), p.GetState())
	p.EnterRule(localctx, 72, KRLParserRULE_name)
	p.SetState(454)
	p.GetErrorHandler().Sync(p)
	if p.HasError() {
		goto errorExit
	}

	switch p.GetTokenStream().LA(1) {
	case KRLParserSTREAM, KRLParserTABLE, KRLParserFEATURE, KRLParserRULE, KRLParserID, KRLParserTIMESTAMP, KRLParserWATERMARK, KRLParserLATENESS, KRLParserKEY, KRLParserOF, KRLParserBY, KRLParserOVER, KRLParserOFFSET, KRLParserEMIT, KRLParserEVERY, KRLParserSLIDING, KRLParserTUMBLING, KRLParserHOPPING, KRLParserSESSION, KRLParserSEVERITY, KRLParserPATTERN, KRLParserWITHIN, KRLParserGAP, KRLParserSKIP_, KRLParserTIMEOUT, KRLParserTO, KRLParserNO_SKIP, KRLParserTO_NEXT, KRLParserPAST_LAST, KRLParserTO_FIRST, KRLParserTO_LAST, KRLParserGREEDY, KRLParserCONSECUTIVE, KRLParserCOMBINATIONS, KRLParserOPTIONAL, KRLParserUNTIL, KRLParserIDENT, KRLParserBACKQUOTED:
		p.EnterOuterAlt(localctx, 1)
		{
			p.SetState(444)
			p.ExprName()
		}

	case KRLParserNOT:
		p.EnterOuterAlt(localctx, 2)
		{
			p.SetState(445)
			p.Match(KRLParserNOT)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserAND:
		p.EnterOuterAlt(localctx, 3)
		{
			p.SetState(446)
			p.Match(KRLParserAND)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserOR:
		p.EnterOuterAlt(localctx, 4)
		{
			p.SetState(447)
			p.Match(KRLParserOR)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserIN:
		p.EnterOuterAlt(localctx, 5)
		{
			p.SetState(448)
			p.Match(KRLParserIN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserBETWEEN:
		p.EnterOuterAlt(localctx, 6)
		{
			p.SetState(449)
			p.Match(KRLParserBETWEEN)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserIS:
		p.EnterOuterAlt(localctx, 7)
		{
			p.SetState(450)
			p.Match(KRLParserIS)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserNULL:
		p.EnterOuterAlt(localctx, 8)
		{
			p.SetState(451)
			p.Match(KRLParserNULL)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserTRUE:
		p.EnterOuterAlt(localctx, 9)
		{
			p.SetState(452)
			p.Match(KRLParserTRUE)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	case KRLParserFALSE:
		p.EnterOuterAlt(localctx, 10)
		{
			p.SetState(453)
			p.Match(KRLParserFALSE)
			if p.HasError() {
				// Recognition error - abort rule
				goto errorExit
			}
		}

	default:
		p.SetError(antlr.NewNoViableAltException(p, nil, nil, nil, nil, nil))
		goto errorExit
	}

errorExit:
	if p.HasError() {
		v := p.GetError()
		localctx.SetException(v)
		p.GetErrorHandler().ReportError(p, v)
		p.GetErrorHandler().Recover(p, v)
		p.SetError(nil)
	}
	p.ExitRule()
	return localctx
}
