package extract

import (
	"cmp"
	"strings"
	"testing"
	"time"
)

// The title of a report written in another language is the sentence that
// says what is wrong, without the greeting, not the one that names an error.
func TestSymptomOtherLanguages(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tests := []struct{ text, want, not string }{
		{"Hola, no puedo conectarme a la VPN desde esta mañana, sale el error 809. Ya reinicié el portátil.", "no puedo conectarme a la VPN", "Hola"},
		{"Hallo, seit gestern geht mein Drucker nicht mehr. Fehlermeldung: Papierstau. Habe ihn schon neu gestartet.", "Drucker nicht mehr", "Hallo"},
		{"Bonjour, je ne peux pas ouvrir Outlook depuis la mise à jour, il affiche erreur 0x800CCC0E.", "je ne peux pas ouvrir Outlook", "Bonjour"},
		{"Buongiorno, Teams non si avvia sul mio portatile.", "Teams non si avvia", "Buongiorno"},
		{"Olá, não consigo imprimir na impressora do 3º andar.", "não consigo imprimir", "Olá"},
		{"Ola, não consigo imprimir.", "não consigo imprimir", "Ola"},
	}
	for _, tc := range tests {
		got := Extract(tc.text, now).Symptom
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("Extract(%q).Symptom = %q, want it to hold %q and not %q", tc.text, got, tc.want, tc.not)
		}
	}
}

// German, Spanish and French reports name their device in their own words,
// and when it started is cut where the problem is told again.
func TestDeviceAndStartedOtherLanguages(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tests := []struct{ text, device, started string }{
		{"Hallo, seit gestern geht mein Drucker nicht mehr.", "printer", "seit gestern"},
		{"Hola, no puedo conectarme a la VPN desde esta mañana, sale el error 809.", "", "desde esta mañana"},
		{"La impresora del tercer piso no imprime desde ayer", "printer", "desde ayer"},
		{"Mein Handy bekommt keine MFA-Anfragen mehr", "phone", ""},
		{"Mi portátil no arranca", "laptop", ""},
		{"La impresora no imprime después de la actualización de Windows", "printer", "después de la actualización de Windows"},
		{"Outlook no abre después de el reinicio", "", "después de el reinicio"},
	}
	for _, tc := range tests {
		ex := Extract(tc.text, now)
		if ex.Device != tc.device || ex.StartedText != tc.started {
			t.Errorf("Extract(%q) = device %q, started %q; want %q, %q", tc.text, ex.Device, ex.StartedText, tc.device, tc.started)
		}
	}
}

// A report that quotes an exception or a stack trace is about software,
// whatever the program.
func TestProgramFaultIsSoftware(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"Here is the full error: java.lang.NullPointerException at com.acme.Billing.run(Billing.java:42) when I export invoices",
		"the report tool dies with KeyError: 'region' every time",
		"Traceback (most recent call last): File \"sync.py\", line 3",
		"our build agent crashed with a segmentation fault (core dumped)",
	} {
		if got := Extract(text, now).Category; got != "software" {
			t.Errorf("Extract(%q).Category = %q, want software", text, got)
		}
	}
	if got := Extract("VPN error 809 since this morning", now).Category; got == "software" {
		t.Errorf("an error code alone made the VPN report software")
	}
}

// A report that opens by announcing its error is titled by the error and
// what the person was doing, without the announcement or the stack frames;
// the error is the exception, not the words after its stack.
func TestTitleOfAnAnnouncedError(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	ex := Extract("Here is the full error: java.lang.NullPointerException at com.acme.Billing.run(Billing.java:42) when I export invoices", now)
	if got := Summarize(cmp.Or(ex.Symptom, "Here is the full error: java.lang.NullPointerException at com.acme.Billing.run(Billing.java:42) when I export invoices")); got != "java.lang.NullPointerException when I export invoices" {
		t.Errorf("title = %q", got)
	}
	if ex.ErrorText != "java.lang.NullPointerException" {
		t.Errorf("error = %q", ex.ErrorText)
	}
	if got := Summarize("I get this error: Access denied when I open the HR share"); got != "Access denied when I open the HR share" {
		t.Errorf("title = %q", got)
	}
}

// An announcement ends at a colon or a dash: a comma after "I got an
// error" goes on with the person's own story, which stays whole; English
// words that begin like French ones ("planted") state no problem.
func TestSummarizeKeepsCommaSentences(t *testing.T) {
	for _, text := range []string{"I got an error, so I restarted the laptop", "I see the error message, but only on Mondays"} {
		if got := Summarize(text); got != text {
			t.Errorf("Summarize(%q) = %q", text, got)
		}
	}
	if isProblem("we planted a tree by the office") {
		t.Error("'planted' read as a problem")
	}
}

// AsksFor reads a bounded prefix of a message, so a long message full of
// quotes costs what a short one does (it took seconds at 160 KB).
func TestAsksForBounded(t *testing.T) {
	long := strings.Repeat(`"x" `, 40000) + "can I get a second monitor?"
	if AsksFor(long) {
		t.Error("an ask past the analysed prefix was read")
	}
	if !AsksFor(strings.Repeat(`"x" `, 10) + "can I get a second monitor?") {
		t.Error("an ask after a few quotes was not read")
	}
}

// A business deadline that falls today makes the report urgent.
func TestDeadlineTodayIsUrgent(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"I can't log in to SAP and month-end close is today",
		"the expenses portal is down and payroll runs today",
		"Teams won't start and the board meeting is this afternoon",
	} {
		if got := Extract(text, now).Urgency; got != "high" {
			t.Errorf("Extract(%q).Urgency = %q, want high", text, got)
		}
	}
}
