#pragma once
// Drives the window through its four main states and saves a picture of each (empty, model
// loaded, running, results, plus the memory and accuracy charts of the results) for the README:
// `quantscope-studio --screenshot-dir DIR [MODEL]`.
#include <QString>

namespace qs::ui {

class MainWindow;

struct TourOptions {
    QString dir;                                  // where empty.png ... results.png go
    QString model;  // empty: the first built-in model (the demo model when it is there)
    int runs = 5;
};

// Starts the tour; the application quits when it is done. Returns false (with a message on
// stderr) when the folder cannot be used.
bool start_screenshot_tour(MainWindow& window, const TourOptions& options);

}  // namespace qs::ui
