//! Small-cell suppression with the complementary cells it needs. Hiding
//! counts from 1 to k − 1 is not enough when a sum is shown: with a
//! «Totalt» column a row's hidden cell is the total minus the others, and
//! for a single choice a column's hidden cell is the group's n minus the
//! others. So, until nothing changes, every row (with a total) and every
//! column (of a single choice) that has exactly one hidden cell gets its
//! smallest other non-zero cell hidden too, as statistics offices do.
//! Written here because it is a dozen lines over the table the cross-tab
//! already has; no crate does disclosure control of this kind.

/// Which cells to hide (`counts` is category × group, the total column
/// last when `has_total`), and how many were hidden as complements.
pub(super) fn hidden(
    counts: &[Vec<u64>],
    below: u64,
    has_total: bool,
    columns_add_up: bool,
) -> (Vec<Vec<bool>>, usize, usize) {
    let mut hide: Vec<Vec<bool>> = counts
        .iter()
        .map(|row| row.iter().map(|&c| c > 0 && c < below).collect())
        .collect();
    let primary = hide.iter().flatten().filter(|&&h| h).count();
    let mut secondary = 0;
    let width = counts.first().map_or(0, Vec::len);
    loop {
        let mut changed = false;
        // Rows: the total column is the sum of the groups.
        if has_total {
            for r in 0..counts.len() {
                if hide[r].iter().filter(|&&h| h).count() == 1
                    && let Some(c) =
                        smallest_visible((0..width).map(|c| (c, counts[r][c], hide[r][c])))
                {
                    hide[r][c] = true;
                    secondary += 1;
                    changed = true;
                }
            }
        }
        // Columns: a single choice's categories add up to the group's n.
        if columns_add_up {
            for c in 0..width {
                if (0..counts.len()).filter(|&r| hide[r][c]).count() == 1
                    && let Some(r) =
                        smallest_visible((0..counts.len()).map(|r| (r, counts[r][c], hide[r][c])))
                {
                    hide[r][c] = true;
                    secondary += 1;
                    changed = true;
                }
            }
        }
        if !changed {
            return (hide, primary, secondary);
        }
    }
}

/// The position of the smallest non-zero cell not yet hidden.
fn smallest_visible(cells: impl Iterator<Item = (usize, u64, bool)>) -> Option<usize> {
    cells
        .filter(|&(_, count, hidden)| !hidden && count > 0)
        .min_by_key(|&(_, count, _)| count)
        .map(|(at, _, _)| at)
}

#[cfg(test)]
mod tests {
    use super::hidden;

    #[test]
    fn a_hidden_cell_cannot_be_worked_out_from_the_total() {
        // Arbeid: 6 + 6 + 3 = 15 with «Totalt»; 3 is under 5.
        let counts = vec![vec![6, 6, 3, 15], vec![10, 12, 8, 30]];
        let (hide, primary, secondary) = hidden(&counts, 5, true, false);
        assert_eq!((primary, secondary), (1, 1));
        assert!(
            hide[0][2] && hide[0][0],
            "the smallest other cell goes too: {hide:?}"
        );
        assert!(!hide[0][3], "the total stays");
    }

    #[test]
    fn a_single_choice_column_is_protected_by_its_n() {
        let counts = vec![vec![2, 9], vec![7, 9], vec![8, 1]];
        let (hide, primary, secondary) = hidden(&counts, 5, false, true);
        assert_eq!(primary, 2);
        assert!(
            hide[1][0] && hide[0][1],
            "each column hides one more: {hide:?}"
        );
        assert_eq!(secondary, 2);
    }
}
