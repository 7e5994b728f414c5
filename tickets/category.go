package tickets

import "strings"

// Category is the kind of problem a ticket is about. The set is fixed because
// routing, KB filtering and KPIs are reported by category.
type Category string

// The categories a report can fall into.
const (
	CategoryAccount  Category = "account"  // account, password, lockout
	CategoryMFA      Category = "mfa"      // MFA / 2FA / authenticator
	CategoryHardware Category = "hardware" // laptops, monitors, peripherals
	CategorySoftware Category = "software" // applications, installs, crashes
	CategoryNetwork  Category = "network"  // network, VPN, Wi-Fi
	CategoryEmail    Category = "email"    // mail, calendar
	CategoryPrinting Category = "printing" // printers, scanning
	CategoryAccess   Category = "access"   // access to a system or share
	CategoryOther    Category = "other"
)

// Categories lists every category in display order.
var Categories = []Category{
	CategoryAccount, CategoryMFA, CategoryHardware, CategorySoftware,
	CategoryNetwork, CategoryEmail, CategoryPrinting, CategoryAccess, CategoryOther,
}

// Label is the category as people read it.
func (c Category) Label() string {
	switch c {
	case CategoryAccount:
		return "account / password"
	case CategoryMFA:
		return "MFA"
	case CategoryNetwork:
		return "network / VPN / Wi-Fi"
	case CategoryEmail:
		return "email / calendar"
	case CategoryAccess:
		return "access request"
	case "":
		return "unknown"
	}
	return string(c)
}

// ParseCategory accepts a category name case-insensitively; ok is false for an
// unknown name.
func ParseCategory(s string) (Category, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, c := range Categories {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}
