package browser

import "net/http"

// Clear empties the text control matching css.
func (s *Session) Clear(css string) error {
	id, err := s.find(css)
	if err != nil {
		return err
	}
	return call(s.client, http.MethodPost, s.base+"/element/"+id+"/clear", map[string]any{}, nil)
}

// Type clears the text control matching css and types text into it.
func (s *Session) Type(css, text string) error {
	if err := s.Clear(css); err != nil {
		return err
	}
	id, err := s.find(css)
	if err != nil {
		return err
	}
	return call(s.client, http.MethodPost, s.base+"/element/"+id+"/value", map[string]string{"text": text}, nil)
}

// Selected reports whether the checkbox, radio button or option matching
// css is selected.
func (s *Session) Selected(css string) (bool, error) {
	id, err := s.find(css)
	if err != nil {
		return false, err
	}
	var on bool
	err = call(s.client, http.MethodGet, s.base+"/element/"+id+"/selected", nil, &on)
	return on, err
}

// Resize sets the window's outer size in CSS pixels, e.g. to a phone's.
func (s *Session) Resize(width, height int) error {
	return call(s.client, http.MethodPost, s.base+"/window/rect", map[string]int{"width": width, "height": height}, nil)
}

// CurrentURL returns the address of the page shown.
func (s *Session) CurrentURL() (string, error) {
	var u string
	err := call(s.client, http.MethodGet, s.base+"/url", nil, &u)
	return u, err
}
